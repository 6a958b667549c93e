namespace MeTAI.Robotics.Safety;

/// <summary>Replaces the marked generated blocks of a Markdown document (docs/safety.md, docs/safety-case.md).</summary>
internal static class GeneratedBlocks
{
    /// <summary>
    /// Every block of <paramref name="blocks"/> in <paramref name="markdown"/> replaced by <paramref name="content"/> of its
    /// name; throws naming <paramref name="document"/> and the block when its markers are missing.
    /// </summary>
    public static string Refresh(string markdown, string document, IEnumerable<(string Name, string Begin, string End)> blocks, Func<string, string> content)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        foreach ((string name, string begin, string end) in blocks)
        {
            int b = markdown.IndexOf(begin, StringComparison.Ordinal);
            int e = markdown.IndexOf(end, StringComparison.Ordinal);
            if (b < 0 || e < b)
            {
                throw new FormatException($"{document} lacks the markers of the {name} block.");
            }

            markdown = markdown[..(b + begin.Length)] + "\n" + content(name) + "\n" + markdown[e..];
        }

        return markdown;
    }
}
