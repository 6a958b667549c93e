using System.Text.Json;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation;

namespace MeTAI.Cli.Commands.Hil;

/// <summary>
/// <c>--broker</c> and <c>--broker-users</c> of the hil verbs: the embedded broker (default; the rig makes its own
/// accounts with random passwords), or an external one such as Mosquitto that already knows the rig's accounts, listed
/// with their plain passwords in a JSON file (passwords never go on the command line).
/// </summary>
internal static class HilBroker
{
    /// <summary>Accounts the rig always uses.</summary>
    private static readonly string[] Required = ["controller", "master1", "operator", "estop"];

    /// <summary>Accounts a radiotherapy scenario also uses.</summary>
    private static readonly string[] Radiotherapy = ["linac", "patient"];

    /// <summary>None for the embedded broker; else the host and port and the accounts from <paramref name="usersFile"/>.</summary>
    public static ((string Host, int Port) Broker, IReadOnlyList<RigUser> Users)? Parse(string? broker, string? usersFile, bool radiotherapy)
    {
        if (broker is null or "embedded")
        {
            if (usersFile is not null)
            {
                throw new ArgumentException("--broker-users is for an external broker (--broker mqtt://host:port); the embedded broker makes its own accounts.");
            }

            return null;
        }

        if (!Uri.TryCreate(broker, UriKind.Absolute, out Uri? uri) || uri.Scheme != "mqtt" || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"--broker '{broker}': use embedded or mqtt://host:port (the HIL fault proxy speaks plain MQTT to the broker).");
        }

        if (usersFile is null)
        {
            throw new ArgumentException($"--broker {broker} needs --broker-users FILE: JSON [{{\"name\", \"role\", \"password\"}}] with the accounts {string.Join(", ", Required.Concat(Radiotherapy))} that broker knows.");
        }

        IReadOnlyList<RigUser> users = ReadUsers(usersFile);
        foreach (string name in radiotherapy ? Required.Concat(Radiotherapy) : Required)
        {
            if (!users.Any(u => u.Name == name))
            {
                throw new ArgumentException($"--broker-users {usersFile}: no account '{name}' (the rig needs {string.Join(", ", Required)}{(radiotherapy ? ", and " + string.Join(", ", Radiotherapy) + " for radiotherapy" : "")}).");
            }
        }

        return ((uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 1883 : uri.Port), users);
    }

    private static List<RigUser> ReadUsers(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--broker-users: {path} does not exist.", path);
        }

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}: expected a JSON array of {{\"name\", \"role\", \"password\"}}.");
        }

        var users = new List<RigUser>();
        int i = 0;
        foreach (JsonElement u in doc.RootElement.EnumerateArray())
        {
            string Field(string name) =>
                u.ValueKind == JsonValueKind.Object && u.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                    ? s
                    : throw new FormatException($"{path}: [{i}].{name} is missing or not a non-empty string.");
            string role = Field("role");
            if (!Enum.TryParse(role, ignoreCase: true, out MqttRole parsed) || !Enum.IsDefined(parsed))
            {
                throw new FormatException($"{path}: [{i}].role '{role}' is not one of: {string.Join(", ", Enum.GetNames<MqttRole>())}.");
            }

            users.Add(new RigUser(Field("name"), parsed, Field("password")));
            i++;
        }

        return users;
    }
}
