namespace AgentGrid.Inference.Profiles;

public static class ProfileNames
{
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 100 && char.IsAsciiLetterLower(name[0]) | char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_');
}
