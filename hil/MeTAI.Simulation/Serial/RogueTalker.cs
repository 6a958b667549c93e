using System.Diagnostics;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// A device on the servo wire that transmits at random times without waiting for the wire (a babbling node, a
/// mis-addressed device): bursts of 0.2–2 ms, separated by random gaps so that it holds the wire for
/// <c>duty</c> of the time (1: continuously). Each burst is announced to the <see cref="WireTiming"/> as soon as it is
/// drawn — so replies and instructions that meet it collide — and a sample of its bytes (at most
/// <see cref="NoiseBytesPerBurst"/>) goes to the controller as noise. Drawn and advanced on the chain's thread only.
/// </summary>
internal sealed class RogueTalker
{
    /// <summary>Noise bytes a burst sends to the controller (a sample: the pty is not a wire, and a full burst at 1 Mbaud is 200 bytes).</summary>
    public const int NoiseBytesPerBurst = 16;

    private const double MinBurstS = 0.2e-3;
    private const double MaxBurstS = 2e-3;
    private readonly double _duty;
    private readonly Random _random;
    private long _untilTicks;

    /// <summary>A talker holding the wire for <paramref name="duty"/> (0…1] of the time from <paramref name="nowTicks"/> on.</summary>
    public RogueTalker(double duty, int seed, long nowTicks)
    {
        if (!(duty > 0 && duty <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(duty), duty, "A rogue talker's duty is a share of the time, in (0, 1].");
        }

        _duty = duty;
        _random = new Random(seed);
        _untilTicks = nowTicks;
    }

    /// <summary>Bursts drawn so far.</summary>
    public long Bursts { get; private set; }

    /// <summary>
    /// Draws every burst up to the first that ends more than 2 ms after <paramref name="nowTicks"/>, announcing each to <paramref name="wire"/>; fills <paramref name="noise"/> with the
    /// last one's bytes and returns how many (0: no new burst).
    /// </summary>
    public int Advance(long nowTicks, WireTiming wire, Span<byte> noise)
    {
        // Drawn ahead by a little: an instruction heard a moment after this call must still meet the burst then on the wire.
        int n = 0;
        long horizon = nowTicks + Stopwatch.Frequency / 500;
        while (_untilTicks <= horizon)
        {
            double burstS = MinBurstS + (MaxBurstS - MinBurstS) * _random.NextDouble();
            double meanGapS = (MinBurstS + MaxBurstS) / 2 * (1 - _duty) / _duty;
            double gapS = _duty >= 1 ? 0 : -meanGapS * Math.Log(1 - _random.NextDouble());
            long from = _untilTicks + (long)(gapS * Stopwatch.Frequency);
            _untilTicks = from + (long)(burstS * Stopwatch.Frequency);
            wire.Foreign(from, _untilTicks);
            Bursts++;
            n = Math.Min(NoiseBytesPerBurst, noise.Length);
            _random.NextBytes(noise[..n]);
        }

        return n;
    }
}
