using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AgentGrid.Silo;

/// <summary>ASP.NET Core's data-protection keys, held for the life of the process only.</summary>
public sealed class InMemoryXmlRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_elements)
        {
            return [.. _elements.Select(e => new XElement(e))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_elements)
        {
            _elements.Add(new XElement(element));
        }
    }
}
