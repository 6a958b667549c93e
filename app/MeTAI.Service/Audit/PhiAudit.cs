using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using MeTAI.Robotics.Audit;
using MeTAI.Service.Hosting;

namespace MeTAI.Service.Audit;

/// <summary>
/// Who touched patient data: one record per upload, plan, view, download, approval, deletion, sign-in and user
/// change, in <c>DATA/audit.log</c> — the controller's append-only, hash-chained format (<see cref="AuditLog"/>: one
/// JSON object per line, each holding the SHA-256 of the line before), so <c>metai audit verify DATA/audit.log</c>
/// checks it and any edit, deletion or reordering shows. Each record has <c>kind</c>, <c>user</c>, <c>role</c>,
/// <c>via</c> (session, token, key, system), <c>ip</c>, and the subject (<c>plan</c>, <c>upload</c>, <c>file</c>, or
/// <c>account</c> and <c>accountRole</c> for user changes). A subject named like one of the first four is refused,
/// so a record never holds a key twice.
/// </summary>
public sealed class PhiAudit : IDisposable
{
    /// <summary>File name in the data directory.</summary>
    public const string FileName = "audit.log";

    private readonly AuditLog _log;

    /// <summary>Opens (continuing) the log in the data directory.</summary>
    public PhiAudit(ServicePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Path = System.IO.Path.Combine(paths.Root, FileName);
        _log = new AuditLog(Path);
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
        _log.Write(new AuditEvent(kind, -1, Stopwatch.GetTimestamp(), fields));
    }

    private static void Add(List<KeyValuePair<string, string>> fields, (string Name, string Value)[] subject)
    {
        foreach ((string name, string value) in subject)
        {
            if (name is "user" or "role" or "via" or "ip" or "kind" or "seq" or "utc" or "prev")
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
        _log.Write(new AuditEvent(kind, -1, Stopwatch.GetTimestamp(), fields));
    }

    /// <summary>
    /// Records matching every given filter (<paramref name="user"/>, <paramref name="kind"/>, and
    /// <paramref name="subject"/> matched against any field's value), newest first, at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<JsonElement> Query(string? user, string? kind, string? subject, int limit)
    {
        _log.Flush();
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
        _log.Flush();
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return AuditVerifier.Verify(stream);
    }

    /// <summary>Waits until every record is on disk.</summary>
    public void Flush() => _log.Flush();

    /// <inheritdoc />
    public void Dispose() => _log.Dispose();

    private static string? Field(JsonElement r, string name) => r.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;
}
