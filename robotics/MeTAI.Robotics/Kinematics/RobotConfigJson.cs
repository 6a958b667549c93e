using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Kinematics;

/// <summary>
/// Reads arm definitions from <c>configs/robots/*.json</c>: a URDF subset (revolute joints with <c>origin</c>
/// xyz/rpy, <c>axis</c>, <c>limit</c>) written as JSON, plus what URDF lacks — acceleration limits, servo IDs and
/// count mapping, tracking tolerances, home pose, tool frame and the patient → robot registration.
/// <code>
/// { "name": "...", "joints": [ { "name": "j1", "type": "revolute", "origin": { "xyz": [0,0,0.1], "rpy": [0,0,0] },
///   "axis": [0,0,1], "limit": { "lower": -2.6, "upper": 2.6, "velocity": 1.5, "acceleration": 8 },
///   "servoId": 1, "trackingToleranceRad": 0.12 } ],
///   "tool": { "xyz": [...], "rpy": [...] }, "homeRad": [...],
///   "patientToRobot": [16 numbers, row-major, LPS mm → base m], "servo": { "countsPerRevolution": 4096, "centerCount": 2048 } }
/// </code>
/// rpy follows URDF: fixed-axis roll (X), pitch (Y), yaw (Z), i.e. R = Rz(yaw)·Ry(pitch)·Rx(roll).
/// </summary>
public static class RobotConfigJson
{
    /// <summary>Loads a robot file.</summary>
    public static RobotModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses robot JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="FormatException">Bad JSON or a missing/invalid field (the message names it).</exception>
    public static RobotModel Parse(string json, string source = "robot")
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement root = doc.RootElement;
            string name = Get(root, "name", source).GetString() ?? throw Error(source, "name", "must be a string");
            var joints = new List<JointSpec>();
            int index = 0;
            foreach (JsonElement j in Get(root, "joints", source).EnumerateArray())
            {
                string field = $"joints[{index}]";
                string type = Get(j, "type", source, field).GetString() ?? "";
                if (type != "revolute")
                {
                    throw Error(source, field + ".type", $"only revolute joints are supported, got '{type}'");
                }

                JsonElement limit = Get(j, "limit", source, field);
                joints.Add(new JointSpec
                {
                    Name = Get(j, "name", source, field).GetString() ?? field,
                    Origin = ReadOrigin(j.TryGetProperty("origin", out JsonElement o) ? o : default, source, field + ".origin"),
                    Axis = Vector(Get(j, "axis", source, field), source, field + ".axis").Normalized(),
                    MinRad = Get(limit, "lower", source, field + ".limit").GetDouble(),
                    MaxRad = Get(limit, "upper", source, field + ".limit").GetDouble(),
                    MaxVelocityRadS = Get(limit, "velocity", source, field + ".limit").GetDouble(),
                    MaxAccelerationRadS2 = Get(limit, "acceleration", source, field + ".limit").GetDouble(),
                    ServoId = Get(j, "servoId", source, field).GetByte(),
                    TrackingToleranceRad = Get(j, "trackingToleranceRad", source, field).GetDouble(),
                    Direction = j.TryGetProperty("direction", out JsonElement d) ? d.GetInt32() : 1,
                    OffsetRad = j.TryGetProperty("offsetRad", out JsonElement off) ? off.GetDouble() : 0,
                });
                index++;
            }

            Pose tool = root.TryGetProperty("tool", out JsonElement t) ? ReadOrigin(t, source, "tool") : Pose.Identity;
            var home = new List<double>();
            foreach (JsonElement h in Get(root, "homeRad", source).EnumerateArray())
            {
                home.Add(h.GetDouble());
            }

            Transform registration = Transform.Identity;
            if (root.TryGetProperty("patientToRobot", out JsonElement reg))
            {
                double[] m = [.. reg.EnumerateArray().Select(e => e.GetDouble())];
                registration = Transform.FromRowMajor4x4(m);
            }

            var servo = new ServoMapping();
            if (root.TryGetProperty("servo", out JsonElement s))
            {
                servo = new ServoMapping(
                    s.TryGetProperty("countsPerRevolution", out JsonElement cpr) ? cpr.GetInt32() : 4096,
                    s.TryGetProperty("centerCount", out JsonElement cc) ? cc.GetInt32() : 2048);
            }

            return new RobotModel(name, joints, tool, home, registration, servo);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: invalid JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException($"{source}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{source}: {ex.Message}", ex);
        }
    }

    /// <summary>URDF rpy (fixed axes X, Y, Z) → quaternion.</summary>
    public static Quat FromRpy(double roll, double pitch, double yaw) =>
        (Quat.FromAxisAngle(Vec3.UnitZ, yaw) * Quat.FromAxisAngle(Vec3.UnitY, pitch) * Quat.FromAxisAngle(Vec3.UnitX, roll)).Normalized();

    private static Pose ReadOrigin(JsonElement origin, string source, string field)
    {
        if (origin.ValueKind == JsonValueKind.Undefined)
        {
            return Pose.Identity;
        }

        Vec3 xyz = origin.TryGetProperty("xyz", out JsonElement x) ? Vector(x, source, field + ".xyz") : Vec3.Zero;
        Vec3 rpy = origin.TryGetProperty("rpy", out JsonElement r) ? Vector(r, source, field + ".rpy") : Vec3.Zero;
        return new Pose(xyz, FromRpy(rpy.X, rpy.Y, rpy.Z));
    }

    private static Vec3 Vector(JsonElement e, string source, string field)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 3)
        {
            throw Error(source, field, "must be an array of 3 numbers");
        }

        return new Vec3(e[0].GetDouble(), e[1].GetDouble(), e[2].GetDouble());
    }

    private static JsonElement Get(JsonElement e, string name, string source, string? parent = null)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out JsonElement v))
        {
            throw Error(source, parent is null ? name : parent + "." + name, "is missing");
        }

        return v;
    }

    private static FormatException Error(string source, string field, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}: {field} {what}."));
}
