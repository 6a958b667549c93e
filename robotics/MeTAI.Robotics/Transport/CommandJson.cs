using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// Operator commands as JSON: <c>{"command":"enable"}</c>, <c>{"command":"reset","acknowledge":true,"operator":"dr.x"}</c>,
/// <c>{"command":"moveJoints","jointRad":[…]}</c>,
/// <c>{"command":"moveToPose","beam":1,"positionM":[x,y,z],"orientationWxyz":[w,x,y,z]}</c>. Command names are the camelCase <see cref="ControllerCommandKind"/>s.
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

            Pose? pose = null;
            if (root.TryGetProperty("positionM", out JsonElement pm) || root.TryGetProperty("orientationWxyz", out _))
            {
                double[]? p = Numbers(pm, 3);
                double[]? q = root.TryGetProperty("orientationWxyz", out JsonElement qe) ? Numbers(qe, 4) : null;
                var quat = q is null ? default : new Quat(q[0], q[1], q[2], q[3]);
                if (p is null || q is null || Math.Abs(quat.Norm - 1) > 1e-3)
                {
                    error = "positionM needs 3 finite numbers and orientationWxyz a unit quaternion (4 numbers)";
                    return false;
                }

                pose = new Pose(new Vec3(p[0], p[1], p[2]), quat.Normalized());
            }

            int beam = 0;
            if (root.TryGetProperty("beam", out JsonElement b) && (b.ValueKind != JsonValueKind.Number || !b.TryGetInt32(out beam) || beam < 0))
            {
                error = "beam must be a non-negative integer";
                return false;
            }

            if (kind == ControllerCommandKind.MoveToPose && pose is null)
            {
                error = "moveToPose needs positionM and orientationWxyz";
                return false;
            }

            command = new ControllerCommand { Kind = kind, Acknowledge = ack, Operator = op, JointRad = joints, TargetPose = pose, Beam = beam };
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
    public static string Format(ControllerCommandKind kind, bool acknowledge = false, string op = "", IReadOnlyList<double>? jointRad = null) =>
        Format(new ControllerCommand { Kind = kind, Acknowledge = acknowledge, Operator = op, JointRad = jointRad });

    /// <summary>JSON for a command, with a target pose and beam when it has them.</summary>
    public static string Format(ControllerCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ControllerCommandKind kind = command.Kind;
        bool acknowledge = command.Acknowledge;
        string op = command.Operator;
        IReadOnlyList<double>? jointRad = command.JointRad;
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

            if (command.Beam > 0)
            {
                w.WriteNumber("beam", command.Beam);
            }

            if (command.TargetPose is Pose pose)
            {
                w.WriteStartArray("positionM");
                w.WriteNumberValue(pose.Position.X);
                w.WriteNumberValue(pose.Position.Y);
                w.WriteNumberValue(pose.Position.Z);
                w.WriteEndArray();
                w.WriteStartArray("orientationWxyz");
                w.WriteNumberValue(pose.Orientation.W);
                w.WriteNumberValue(pose.Orientation.X);
                w.WriteNumberValue(pose.Orientation.Y);
                w.WriteNumberValue(pose.Orientation.Z);
                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static double[]? Numbers(JsonElement e, int count)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != count)
        {
            return null;
        }

        var values = new double[count];
        int i = 0;
        foreach (JsonElement v in e.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !double.IsFinite(values[i] = v.GetDouble()))
            {
                return null;
            }

            i++;
        }

        return values;
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
