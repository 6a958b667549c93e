using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Radiotherapy;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// JSON payloads of the radiotherapy topics (docs/mqtt-topics.md): the beam permit (<c>beam/gate</c>), the linac status
/// (<c>beam/state</c>) and the patient target displacement (<c>patient/motion</c>). Malformed payloads are rejected.
/// </summary>
public static class BeamJson
{
    /// <summary><c>{"permit":bool,"beam":n,"seq":n,"holdReasons":"…","cycle":n}</c>.</summary>
    public static byte[] FormatGate(bool permit, int beam, long sequence, BeamHoldReasons reasons, long cycle) => Write(w =>
    {
        w.WriteBoolean("permit", permit);
        w.WriteNumber("beam", beam);
        w.WriteNumber("seq", sequence);
        w.WriteString("holdReasons", reasons.ToString());
        w.WriteNumber("cycle", cycle);
    });

    /// <summary>Reads a beam permit; false when malformed.</summary>
    public static bool TryReadGate(ReadOnlySpan<byte> utf8, out bool permit, out int beam, out long sequence)
    {
        permit = false;
        beam = 0;
        sequence = 0;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            JsonElement r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("permit", out JsonElement p) || (p.ValueKind != JsonValueKind.True && p.ValueKind != JsonValueKind.False)
                || !r.TryGetProperty("beam", out JsonElement b) || !b.TryGetInt32(out beam) || !r.TryGetProperty("seq", out JsonElement s) || !s.TryGetInt64(out sequence))
            {
                return false;
            }

            permit = p.GetBoolean();
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary><c>{"on":bool,"beam":n,"gateSeq":n,"muDelivered":x,"seq":n}</c>.</summary>
    public static byte[] FormatLinacState(bool on, int beam, long gateSequence, double muDelivered, long sequence) => Write(w =>
    {
        w.WriteBoolean("on", on);
        w.WriteNumber("beam", beam);
        w.WriteNumber("gateSeq", gateSequence);
        w.WriteNumber("muDelivered", Math.Round(muDelivered, 4));
        w.WriteNumber("seq", sequence);
    });

    /// <summary>Reads a linac status; false when malformed (the controller then keeps treating the beam as possibly on).</summary>
    public static bool TryReadLinacState(ReadOnlySpan<byte> utf8, out bool on, out int beam, out long gateSequence)
    {
        on = true;
        beam = 0;
        gateSequence = 0;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            JsonElement r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("on", out JsonElement o) || (o.ValueKind != JsonValueKind.True && o.ValueKind != JsonValueKind.False)
                || !r.TryGetProperty("beam", out JsonElement b) || !b.TryGetInt32(out beam) || !r.TryGetProperty("gateSeq", out JsonElement g) || !g.TryGetInt64(out gateSequence))
            {
                return false;
            }

            on = o.GetBoolean();
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary><c>{"seq":n,"displacementMm":[x,y,z]}</c> (patient LPS mm).</summary>
    public static byte[] FormatPatientMotion(Vec3 displacementMm, long sequence) => Write(w =>
    {
        w.WriteNumber("seq", sequence);
        w.WriteStartArray("displacementMm");
        w.WriteNumberValue(Math.Round(displacementMm.X, 4));
        w.WriteNumberValue(Math.Round(displacementMm.Y, 4));
        w.WriteNumberValue(Math.Round(displacementMm.Z, 4));
        w.WriteEndArray();
    });

    /// <summary>Reads a patient-motion reading; false when malformed.</summary>
    public static bool TryReadPatientMotion(ReadOnlySpan<byte> utf8, out Vec3 displacementMm)
    {
        displacementMm = default;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            JsonElement r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("displacementMm", out JsonElement d) || d.ValueKind != JsonValueKind.Array || d.GetArrayLength() != 3)
            {
                return false;
            }

            Span<double> v = stackalloc double[3];
            int i = 0;
            foreach (JsonElement e in d.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Number)
                {
                    return false;
                }

                v[i++] = e.GetDouble();
            }

            displacementMm = new Vec3(v[0], v[1], v[2]);
            return displacementMm.IsFinite;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
