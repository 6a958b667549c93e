using System.Text.Json;
using MeTAI.Robotics.Control;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// Operator commands as JSON: <c>{"command":"enable"}</c>, <c>{"command":"reset","acknowledge":true,"operator":"dr.x"}</c>,
/// <c>{"command":"moveJoints","jointRad":[…]}</c>. Command names are the camelCase <see cref="ControllerCommandKind"/>s.
/// </summary>
public static class CommandJson
{
    /// <summary>Parses a command; false (with a reason) for anything malformed or unknown.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ControllerCommand? command, out string error)
    {
        command = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("command", out JsonElement c) || c.ValueKind != JsonValueKind.String)
            {
                error = "expected an object with a string \"command\"";
                return false;
            }

            string name = c.GetString()!;
            if (!Enum.TryParse(name, ignoreCase: false, out ControllerCommandKind kind) && !TryCamel(name, out kind))
            {
                error = $"unknown command '{name}'";
                return false;
            }

            bool ack = root.TryGetProperty("acknowledge", out JsonElement a) && a.ValueKind == JsonValueKind.True;
            string op = root.TryGetProperty("operator", out JsonElement o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "";
            List<double>? joints = null;
            if (root.TryGetProperty("jointRad", out JsonElement j) && j.ValueKind == JsonValueKind.Array)
            {
                joints = [];
                foreach (JsonElement v in j.EnumerateArray())
                {
                    double d = v.GetDouble();
                    if (!double.IsFinite(d))
                    {
                        error = "jointRad must be finite";
                        return false;
                    }

                    joints.Add(d);
                }
            }

            command = new ControllerCommand { Kind = kind, Acknowledge = ack, Operator = op, JointRad = joints };
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            error = "invalid JSON: " + ex.Message;
            return false;
        }
    }

    /// <summary>JSON for a command (for consoles and tests).</summary>
    public static string Format(ControllerCommandKind kind, bool acknowledge = false, string op = "", IReadOnlyList<double>? jointRad = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("command", JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()));
            if (acknowledge)
            {
                w.WriteBoolean("acknowledge", true);
            }

            if (op.Length > 0)
            {
                w.WriteString("operator", op);
            }

            if (jointRad is not null)
            {
                w.WriteStartArray("jointRad");
                foreach (double d in jointRad)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool TryCamel(string name, out ControllerCommandKind kind)
    {
        foreach (ControllerCommandKind k in Enum.GetValues<ControllerCommandKind>())
        {
            if (JsonNamingPolicy.CamelCase.ConvertName(k.ToString()) == name)
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
