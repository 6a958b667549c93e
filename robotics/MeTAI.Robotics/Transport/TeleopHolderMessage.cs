using System.Buffers;
using System.Text.Json;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// The payload of <see cref="MqttTopics.TeleopHolder"/>: <c>{"master":"master1","user":"dr.a"}</c> (<c>"user": null</c>:
/// nobody holds control). UTF-8 JSON, at most 1 kB; anything else is malformed and ignored by the broker.
/// </summary>
public static class TeleopHolderMessage
{
    private const int MaxBytes = 1024;

    /// <summary>The payload announcing that <paramref name="user"/> (null: nobody) holds control of <paramref name="masterId"/>.</summary>
    public static byte[] Format(string masterId, string? user)
    {
        if (!MasterToken.IsValidMasterId(masterId))
        {
            throw new ArgumentException($"Master ID '{masterId}' is not 1-64 letters, digits, '-', '_' or '.'.", nameof(masterId));
        }

        if (user is { Length: 0 })
        {
            throw new ArgumentException("A control holder's user name is not empty (null: nobody).", nameof(user));
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("master", masterId);
            if (user is null)
            {
                w.WriteNull("user");
            }
            else
            {
                w.WriteString("user", user);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a payload; false when it is not one (wrong JSON, a bad master ID, an empty user name, too long).</summary>
    public static bool TryParse(ReadOnlySequence<byte> payload, out string masterId, out string? user)
    {
        masterId = "";
        user = null;
        if (payload.Length is 0 or > MaxBytes)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("master", out JsonElement m) || m.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("user", out JsonElement u) || u.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return false;
            }

            string master = m.GetString()!;
            string? who = u.ValueKind == JsonValueKind.Null ? null : u.GetString();
            if (!MasterToken.IsValidMasterId(master) || who is { Length: 0 })
            {
                return false;
            }

            masterId = master;
            user = who;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
