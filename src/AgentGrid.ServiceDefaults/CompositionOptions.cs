using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentGrid.ServiceDefaults;

/// <summary>
/// Options a host needs while it is being composed (ports, clustering, storage, TLS), before there is a service
/// provider to validate them on start. They are read and checked here, by the same <see cref="IValidateOptions{T}"/>
/// validators as every other options class, and a host with problems stops with all of them listed.
/// </summary>
public static class CompositionOptions
{
    public static T Read<T>(IConfiguration configuration, string sectionName, IValidateOptions<T> validator) where T : class, new()
    {
        var options = configuration.GetSection(sectionName).Get<T>() ?? new T();
        ThrowIfInvalid(options, sectionName, validator);
        return options;
    }

    public static void ThrowIfInvalid<T>(T options, string sectionName, IValidateOptions<T> validator) where T : class
    {
        if (validator.Validate(null, options) is { Failed: true } result)
        {
            throw new OptionsValidationException(sectionName, typeof(T), result.Failures);
        }
    }
}
