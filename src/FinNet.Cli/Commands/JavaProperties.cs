namespace FinNet.Cli.Commands;

/// <summary>Java properties files (<c>key=value</c>, <c>key: value</c> or <c>key value</c>; <c>#</c>/<c>!</c> comments; trailing <c>\</c> continues a line).</summary>
internal static class JavaProperties
{
    public static IEnumerable<(string Key, string Value)> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"--kafka-config-file {path}: cannot read it ({e.Message})", e);
        }
        var logical = new List<string>();
        var current = "";
        foreach (var raw in lines)
        {
            var line = current.Length > 0 ? raw.TrimStart() : raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line[0] is '#' or '!'))
                continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1];
                continue;
            }
            logical.Add(current + line);
            current = "";
        }
        foreach (var line in logical)
        {
            var split = line.IndexOfAny(['=', ':', ' ', '\t']);
            if (split <= 0)
                throw new InvalidInputException($"--kafka-config-file {path}: a line without a key and value");
            yield return (line[..split].Trim(), line[(split + 1)..].TrimStart(' ', '\t', '=', ':'));
        }
    }
}
