namespace MeTAI.Service.Uploads;

/// <summary>
/// An upload's label (<c>?name=</c>): at most <see cref="MaxLength"/> characters of letters, digits, spaces and
/// <c>. _ - ( ) + ,</c> — no markup, quotes, slashes or control characters. It is shown in lists and plan names, so a
/// label that breaks these rules is refused, not cleaned up.
/// </summary>
public static class UploadLabel
{
    /// <summary>Longest label.</summary>
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="label"/> (may be absent) is acceptable, else why not.</summary>
    public static string? Problem(string? label)
    {
        if (label is null)
        {
            return null;
        }

        if (label.Length > MaxLength)
        {
            return $"The label has {label.Length} characters; at most {MaxLength} are allowed.";
        }

        int bad = label.AsSpan().IndexOfAnyExcept(Allowed);
        return bad < 0 ? null : $"The label's character {bad + 1} ('{(char.IsControl(label[bad]) ? "U+" + ((int)label[bad]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : label[bad].ToString())}') is not allowed: use letters, digits, spaces and . _ - ( ) + ,";
    }

    private static readonly System.Buffers.SearchValues<char> Allowed = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-()+,");
}
