using System.Globalization;
using System.Text;

namespace MeTAI.Core.Geometry;

/// <summary>
/// Patient Position (0018,5100) codes and what they mean in the room. The IEC 61217 patient support (table-top) system
/// at couch angle 0 has X_t to the right of an observer at the foot of the couch facing the gantry, Y_t toward the
/// gantry and Z_t up. Head-first puts the patient's head (LPS +z, superior) toward the gantry, feet-first the feet;
/// supine puts anterior (LPS −y) up, prone posterior (+y), decubitus right the patient's left (+x, lying on the right
/// side), decubitus left the right (−x). X_t = Y_t × Z_t completes the frame. So gantry 0° (source above) enters
/// anteriorly for a supine patient and posteriorly for a prone one, and gantry 90° (source at X_t) from the patient's
/// left for HFS and FFP and from the right for HFP and FFS (PS3.3 C.8.8.25.6.1, C.7.3.1.1.2).
/// </summary>
public static class PatientPositions
{
    /// <summary>Every supported position, in the order of the DICOM defined terms.</summary>
    public static IReadOnlyList<PatientPosition> All { get; } = Enum.GetValues<PatientPosition>();

    /// <summary>The supported codes, comma-separated (for messages).</summary>
    public static string SupportedCodes => string.Join(", ", All.Select(Code));

    /// <summary>The DICOM code: HFS, HFP, FFS, FFP, HFDR, HFDL, FFDR or FFDL.</summary>
    public static string Code(this PatientPosition position) => position switch
    {
        PatientPosition.HeadFirstSupine => "HFS",
        PatientPosition.HeadFirstProne => "HFP",
        PatientPosition.FeetFirstSupine => "FFS",
        PatientPosition.FeetFirstProne => "FFP",
        PatientPosition.HeadFirstDecubitusRight => "HFDR",
        PatientPosition.HeadFirstDecubitusLeft => "HFDL",
        PatientPosition.FeetFirstDecubitusRight => "FFDR",
        PatientPosition.FeetFirstDecubitusLeft => "FFDL",
        _ => throw new ArgumentOutOfRangeException(nameof(position), position, "not a patient position"),
    };

    /// <summary>The DICOM meaning, e.g. "head first-supine".</summary>
    public static string Describe(this PatientPosition position) => position switch
    {
        PatientPosition.HeadFirstSupine => "head first-supine",
        PatientPosition.HeadFirstProne => "head first-prone",
        PatientPosition.FeetFirstSupine => "feet first-supine",
        PatientPosition.FeetFirstProne => "feet first-prone",
        PatientPosition.HeadFirstDecubitusRight => "head first-decubitus right",
        PatientPosition.HeadFirstDecubitusLeft => "head first-decubitus left",
        PatientPosition.FeetFirstDecubitusRight => "feet first-decubitus right",
        PatientPosition.FeetFirstDecubitusLeft => "feet first-decubitus left",
        _ => throw new ArgumentOutOfRangeException(nameof(position), position, "not a patient position"),
    };

    /// <summary>Parses a code (case and padding ignored); false for a missing or unsupported one.</summary>
    public static bool TryParse(string? code, out PatientPosition position)
    {
        string c = (code ?? string.Empty).Trim().ToUpperInvariant();
        foreach (PatientPosition p in All)
        {
            if (p.Code() == c)
            {
                position = p;
                return true;
            }
        }

        position = default;
        return false;
    }

    /// <summary>
    /// Parses a code or refuses it: the message names <paramref name="source"/> (the file or object the code came
    /// from), the attribute and the value. A missing code is refused too: head-first supine is never assumed.
    /// </summary>
    /// <exception cref="ArgumentException">Missing or unsupported code.</exception>
    public static PatientPosition Parse(string? code, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (TryParse(code, out PatientPosition p))
        {
            return p;
        }

        throw new ArgumentException(string.IsNullOrWhiteSpace(code)
            ? $"{source}: Patient Position (0018,5100) is missing; the beam geometry depends on it (supported: {SupportedCodes}; HFS is not assumed)."
            : $"{source}: Patient Position (0018,5100) '{code.Trim()}' is not supported (supported: {SupportedCodes}).");
    }

    /// <summary>
    /// The LPS directions of the table-top axes X_t, Y_t, Z_t (columns) at couch angle 0: a vector in the IEC 61217
    /// patient support system times this matrix is the same vector in patient coordinates.
    /// </summary>
    public static Mat3 SupportToLps(this PatientPosition position)
    {
        Vec3 towardGantry = TowardGantryLps(position);
        Vec3 up = UpLps(position);
        return Mat3.FromColumns(Vec3.Cross(towardGantry, up), towardGantry, up);
    }

    /// <summary>The LPS direction that points up in the room (away from the couch).</summary>
    public static Vec3 UpLps(this PatientPosition position) => position switch
    {
        PatientPosition.HeadFirstSupine or PatientPosition.FeetFirstSupine => new Vec3(0, -1, 0),
        PatientPosition.HeadFirstProne or PatientPosition.FeetFirstProne => new Vec3(0, 1, 0),
        PatientPosition.HeadFirstDecubitusRight or PatientPosition.FeetFirstDecubitusRight => new Vec3(1, 0, 0),
        PatientPosition.HeadFirstDecubitusLeft or PatientPosition.FeetFirstDecubitusLeft => new Vec3(-1, 0, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(position), position, "not a patient position"),
    };

    /// <summary>The unit LPS direction of gravity (toward the couch): posterior for supine, anterior for prone, the patient's right for decubitus right.</summary>
    public static Vec3 GravityLps(this PatientPosition position) => -UpLps(position);

    /// <summary>The LPS direction toward the gantry along the couch: superior for head-first, inferior for feet-first.</summary>
    public static Vec3 TowardGantryLps(this PatientPosition position) => position switch
    {
        PatientPosition.HeadFirstSupine or PatientPosition.HeadFirstProne
            or PatientPosition.HeadFirstDecubitusRight or PatientPosition.HeadFirstDecubitusLeft => new Vec3(0, 0, 1),
        PatientPosition.FeetFirstSupine or PatientPosition.FeetFirstProne
            or PatientPosition.FeetFirstDecubitusRight or PatientPosition.FeetFirstDecubitusLeft => new Vec3(0, 0, -1),
        _ => throw new ArgumentOutOfRangeException(nameof(position), position, "not a patient position"),
    };

    /// <summary>
    /// The anatomical letters of a direction in patient coordinates, as viewers label image edges: L or R (±x), P or A
    /// (±y), S or I (±z), the largest component first; components under a quarter of the length are left out (an
    /// oblique direction gets two or three letters, e.g. "LP").
    /// </summary>
    public static string Letters(Vec3 directionLps)
    {
        double length = directionLps.Length;
        if (!(length > 0) || !directionLps.IsFinite)
        {
            throw new ArgumentException("The direction must be finite and non-zero.", nameof(directionLps));
        }

        Vec3 d = directionLps / length;
        var axes = new List<(double Magnitude, char Letter)>(3)
        {
            (Math.Abs(d.X), d.X > 0 ? 'L' : 'R'),
            (Math.Abs(d.Y), d.Y > 0 ? 'P' : 'A'),
            (Math.Abs(d.Z), d.Z > 0 ? 'S' : 'I'),
        };
        axes.Sort((a, b) => b.Magnitude.CompareTo(a.Magnitude));
        var sb = new StringBuilder(3);
        foreach ((double m, char letter) in axes)
        {
            if (m >= 0.25)
            {
                sb.Append(letter);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The letters of the four edges of an image whose columns run along <paramref name="rightLps"/> (left to right on
    /// screen) and rows along <paramref name="downLps"/> (top to bottom), as viewers print them: e.g. R, L, A, P for an
    /// axial head-first-supine CT.
    /// </summary>
    public static (string Left, string Right, string Top, string Bottom) EdgeLetters(Vec3 rightLps, Vec3 downLps) =>
        (Letters(-rightLps), Letters(rightLps), Letters(-downLps), Letters(downLps));

    /// <summary>
    /// A plot axis caption for coordinates measured along <paramref name="directionLps"/> (a unit vector): the
    /// coordinate ("x", "−y", …, or the direction for an oblique axis), then the anatomical side it runs to, e.g.
    /// "x (mm) → patient left (L)"; <paramref name="arrow"/> is the arrow drawn (→ or ↑).
    /// </summary>
    public static string AxisCaption(Vec3 directionLps, char arrow)
    {
        string letters = Letters(directionLps);
        string coordinate = letters.Length == 1
            ? (letters[0] is 'R' or 'A' or 'I' ? "−" : string.Empty) + (letters[0] is 'L' or 'R' ? "x" : letters[0] is 'A' or 'P' ? "y" : "z")
            : string.Create(CultureInfo.InvariantCulture, $"along ({directionLps.X:0.###}, {directionLps.Y:0.###}, {directionLps.Z:0.###})");
        string side = letters.Length == 1 ? $"{SideName(letters[0])} ({letters})" : letters;
        return $"{coordinate} (mm, LPS) {arrow} {side}";
    }

    /// <summary>The name of the anatomical side a letter stands for ("patient left" for L, "anterior" for A, …).</summary>
    public static string SideName(char letter) => letter switch
    {
        'L' => "patient left",
        'R' => "patient right",
        'A' => "anterior",
        'P' => "posterior",
        'S' => "superior",
        'I' => "inferior",
        _ => throw new ArgumentOutOfRangeException(nameof(letter), letter.ToString(CultureInfo.InvariantCulture), "not L, R, A, P, S or I"),
    };
}
