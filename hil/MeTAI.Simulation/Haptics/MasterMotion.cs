using System.Globalization;
using MeTAI.Core.Geometry;

namespace MeTAI.Simulation.Haptics;

/// <summary>
/// Surgeon motion for the haptic master twin: the stylus position as an offset (master base frame, metres) from where
/// the motion starts, as a function of time, with optional clutch and deadman buttons. Recorded motions are CSV files
/// (<c>configs/hil/motions/*.csv</c>: <c>t_s,x_m,y_m,z_m[,clutch,deadman]</c>, linear interpolation, held after the
/// last row); generated ones are hold, line, ramp, circle and sine.
/// </summary>
public sealed class MasterMotion
{
    private readonly Func<double, Vec3> _offset;
    private readonly Func<double, (bool? Clutch, bool? Deadman)>? _buttons;

    private MasterMotion(string name, Func<double, Vec3> offset, Func<double, (bool?, bool?)>? buttons = null)
    {
        Name = name;
        _offset = offset;
        _buttons = buttons;
    }

    /// <summary>What it is (for reports).</summary>
    public string Name { get; }

    /// <summary>Stylus offset at <paramref name="tS"/> seconds after the start (m).</summary>
    public Vec3 OffsetAt(double tS) => _offset(Math.Max(0, tS));

    /// <summary>Button states at <paramref name="tS"/> (null: leave as they are).</summary>
    public (bool? Clutch, bool? Deadman) ButtonsAt(double tS) => _buttons?.Invoke(Math.Max(0, tS)) ?? (null, null);

    /// <summary>Stay where the motion starts.</summary>
    public static MasterMotion Hold() => new("hold", _ => Vec3.Zero);

    /// <summary>Constant velocity (m/s), stopping after <paramref name="maxDistanceM"/>.</summary>
    public static MasterMotion Line(Vec3 velocityMps, double maxDistanceM = double.PositiveInfinity)
    {
        double speed = velocityMps.Length;
        double stopS = speed > 0 ? maxDistanceM / speed : double.PositiveInfinity;
        return new MasterMotion("line", t => velocityMps * Math.Min(t, stopS));
    }

    /// <summary>A smooth (cosine) move to <paramref name="toM"/> over <paramref name="durationS"/>, then hold.</summary>
    public static MasterMotion Ramp(Vec3 toM, double durationS)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationS);
        return new MasterMotion("ramp", t => toM * (t >= durationS ? 1 : 0.5 - 0.5 * Math.Cos(Math.PI * t / durationS)));
    }

    /// <summary>A circle of <paramref name="radiusM"/> in the x–y plane starting at its own centre offset (starts at zero, smoothly).</summary>
    public static MasterMotion Circle(double radiusM, double periodS)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodS);
        double w = 2 * Math.PI / periodS;

        // Starts at the origin with zero velocity: the radius fades in over the first period.
        return new MasterMotion("circle", t =>
        {
            double fade = Math.Min(1, t / periodS);
            return new Vec3(radiusM * fade * Math.Sin(w * t), radiusM * fade * (1 - Math.Cos(w * t)), 0);
        });
    }

    /// <summary><paramref name="amplitudeM"/> × sin(2πt/period).</summary>
    public static MasterMotion Sine(Vec3 amplitudeM, double periodS)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodS);
        return new MasterMotion("sine", t => amplitudeM * Math.Sin(2 * Math.PI * t / periodS));
    }

    /// <summary>A recorded motion (see the class summary for the format); errors name the file and line.</summary>
    public static MasterMotion FromCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        var rows = new List<(double T, Vec3 P, bool? Clutch, bool? Deadman)>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#') || (rows.Count == 0 && char.IsLetter(line[0])))
            {
                continue;
            }

            string[] f = line.Split(',');
            if (f.Length is not (4 or 6))
            {
                throw new FormatException($"{path}:{i + 1}: expected t_s,x_m,y_m,z_m[,clutch,deadman], got {f.Length} fields");
            }

            double Num(int k) => double.TryParse(f[k], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                ? v : throw new FormatException($"{path}:{i + 1}: field {k + 1} '{f[k]}' is not a number");
            bool Flag(int k) => f[k].Trim() switch
            {
                "0" => false,
                "1" => true,
                _ => throw new FormatException($"{path}:{i + 1}: field {k + 1} '{f[k]}' must be 0 or 1"),
            };
            double t = Num(0);
            if (rows.Count > 0 && t <= rows[^1].T)
            {
                throw new FormatException($"{path}:{i + 1}: times must increase");
            }

            rows.Add((t, new Vec3(Num(1), Num(2), Num(3)), f.Length == 6 ? Flag(4) : null, f.Length == 6 ? Flag(5) : null));
        }

        if (rows.Count == 0)
        {
            throw new FormatException($"{path}: no samples");
        }

        int Find(double t)
        {
            int lo = 0, hi = rows.Count - 1;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) / 2;
                if (rows[mid].T <= t)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return lo;
        }

        Vec3 Offset(double t)
        {
            if (t <= rows[0].T)
            {
                return rows[0].P;
            }

            int k = Find(t);
            if (k >= rows.Count - 1)
            {
                return rows[^1].P;
            }

            double a = (t - rows[k].T) / (rows[k + 1].T - rows[k].T);
            return rows[k].P + (rows[k + 1].P - rows[k].P) * a;
        }

        bool hasButtons = rows.Any(r => r.Clutch is not null);
        return new MasterMotion("file " + Path.GetFileName(path), Offset,
            hasButtons ? t => (rows[Find(t)].Clutch, rows[Find(t)].Deadman) : null);
    }
}
