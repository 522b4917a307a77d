namespace AgentGrid.Grains.Records;

/// <summary>Ids that sort in number order as strings.</summary>
public static class RecordIds
{
    public static string Of(long number) => number.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    public static long Parse(string id) => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
}
