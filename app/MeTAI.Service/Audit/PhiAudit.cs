using System.Security.Claims;
using System.Text.Json;
using MeTAI.Robotics.Audit;
using MeTAI.Service.Hosting;

namespace MeTAI.Service.Audit;

/// <summary>
/// Who touched patient data: one record per upload, plan, view, download, approval, deletion, sign-in and user
/// change, in <c>DATA/audit.log</c> — the controller's append-only, hash-chained format (<see cref="AuditLog"/>: one
/// JSON object per line, each holding the SHA-256 of the line before), so <c>metai audit verify DATA/audit.log</c>
/// checks it and any edit, deletion or reordering shows. The service and <c>metai users …</c> both append to it
/// (<see cref="ChainedAuditFile"/>: a lock, then the chain continued from the file's own last line); the CLI's records
/// name the operating-system user and <c>via: cli</c> (<see cref="RecordCli"/>). Each record has <c>kind</c>, <c>user</c>, <c>role</c>,
/// <c>via</c> (session, token, key, system), <c>ip</c>, and the subject (<c>plan</c>, <c>upload</c>, <c>file</c>, or
/// <c>account</c> and <c>accountRole</c> for user changes). A subject named like one of the first four is refused,
/// so a record never holds a key twice.
/// </summary>
public sealed class PhiAudit : IDisposable
{
    /// <summary>File name in the data directory.</summary>
    public const string FileName = "audit.log";

    /// <summary>The <c>via</c> of records written by <c>metai users …</c>.</summary>
    public const string ViaCli = "cli";

    private readonly ChainedAuditFile _log;
    private int _closed;

    /// <summary>Opens (continuing) the log in the data directory.</summary>
    public PhiAudit(ServicePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Path = System.IO.Path.Combine(paths.Root, FileName);
        _log = new ChainedAuditFile(Path);
        _log.Append("start", [new("pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        FilePermissions.Restrict(Path);
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Records what the request's user did.</summary>
    public void Record(HttpContext context, string kind, params (string Name, string Value)[] subject)
    {
        ArgumentNullException.ThrowIfNull(context);
        ClaimsPrincipal user = context.User;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("user", user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "" : "anonymous"),
            new("role", user.FindFirstValue(ClaimTypes.Role) ?? ""),
            new("via", user.FindFirstValue(ApiKeyAuthenticationHandler.MethodClaim) ?? ""),
            new("ip", context.Connection.RemoteIpAddress?.ToString() ?? ""),
        };
        Add(fields, subject);
        _log.Append(kind, fields);
    }

    /// <summary>
    /// Records a change made with <c>metai users …</c> in the data directory's log, the service running or not:
    /// <c>user</c> the operating-system user who ran it, <c>via</c> <see cref="ViaCli"/>, <c>host</c> the machine.
    /// </summary>
    public static void RecordCli(string dataDirectory, string kind, params (string Name, string Value)[] subject)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        string path = System.IO.Path.Combine(dataDirectory, FileName);
        var fields = new List<KeyValuePair<string, string>> { new("user", Environment.UserName), new("role", ""), new("via", ViaCli), new("ip", ""), new("host", Environment.MachineName) };
        Add(fields, subject);
        new ChainedAuditFile(path).Append(kind, fields);
        FilePermissions.Restrict(path);
    }

    private static void Add(List<KeyValuePair<string, string>> fields, (string Name, string Value)[] subject)
    {
        foreach ((string name, string value) in subject)
        {
            if (name is "user" or "role" or "via" or "ip" or "host" or "kind" or "seq" or "utc" or "mono" or "cycle" or "prev")
            {
                throw new ArgumentException($"Audit subject '{name}' would repeat a record field; name it after what it is (account, plan, …).", nameof(subject));
            }

            fields.Add(new KeyValuePair<string, string>(name, value));
        }
    }

    /// <summary>Records what the service itself did (retention purge, start-up recovery).</summary>
    public void RecordSystem(string kind, params (string Name, string Value)[] subject)
    {
        var fields = new List<KeyValuePair<string, string>> { new("user", "system"), new("role", ""), new("via", "system"), new("ip", "") };
        Add(fields, subject);
        _log.Append(kind, fields);
    }

    /// <summary>
    /// Records matching every given filter (<paramref name="user"/>, <paramref name="kind"/>, and
    /// <paramref name="subject"/> matched against any field's value), newest first, at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<JsonElement> Query(string? user, string? kind, string? subject, int limit)
    {
        var found = new List<JsonElement>();
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement r = doc.RootElement;
            if ((user is null || Field(r, "user") == user) && (kind is null || Field(r, "kind") == kind)
                && (subject is null || r.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == subject)))
            {
                found.Add(r.Clone());
            }
        }

        found.Reverse();
        return found.Count > limit ? found[..limit] : found;
    }

    /// <summary>Checks the chain of the whole log.</summary>
    public AuditVerification Verify()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return AuditVerifier.Verify(stream);
    }

    /// <summary>Every record is on disk when <see cref="Record"/> returns; kept for callers that flushed the former queue.</summary>
    public void Flush()
    {
    }

    /// <summary>Appends the <c>close</c> record of this service's run (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _log.Append("close", []);
        }
    }

    private static string? Field(JsonElement r, string name) => r.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;
}
