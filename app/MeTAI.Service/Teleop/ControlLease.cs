using MeTAI.Service.Audit;
using MeTAI.Service.Controller;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Teleop;

/// <summary>
/// Who holds control of the console's master: one user at a time, service-wide (the controller follows one master).
/// The browser console gets a credential only for the holder (<see cref="TeleopApi"/>); a shared session hands control
/// over explicitly (<see cref="SharedSessions.SharedSessionsApi"/>). Every change is told to the controller's broker
/// (<see cref="TeleopHolderAnnouncer"/>), which then admits only the holder's tokens, and audited. A change that takes
/// control away from someone whose console token may still be valid is refused unless the broker confirmed it: the
/// former holder must not keep driving through a token handed out before.
/// </summary>
public sealed class ControlLease(TeleopHolderAnnouncer announcer, IOptions<ControllerMonitorOptions> options, PhiAudit audit, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _tokensValidUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _openRelays = new(StringComparer.Ordinal);
    private string? _holder;
    private string? _sessionId;
    private DateTimeOffset _activeUntil;

    /// <summary>After every change: the action (take, handover, …) and who did it.</summary>
    public event Action<string, string>? Changed;

    /// <summary>The holder (null: nobody) and the shared session it was given in (null: the console alone).</summary>
    public (string? Holder, string? SessionId) Current
    {
        get
        {
            lock (_tokensValidUntil)
            {
                return (_holder, _sessionId);
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="newHolder"/> (null: nobody) the holder, in <paramref name="sessionId"/> (null: none), when the
    /// holder is still <paramref name="expectedHolder"/>; <paramref name="action"/> (take, handover, takeover, release,
    /// leave, end) goes to the audit log with the change, as done by <paramref name="http"/>'s user (null: by the service
    /// itself). Returns null on success, else why not (the holder is unchanged).
    /// </summary>
    public async Task<string?> ChangeAsync(HttpContext? http, string? expectedHolder, string? newHolder, string? sessionId, string action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            (string? holder, string? session) = Current;
            if (holder != expectedHolder)
            {
                return holder is null ? "nobody holds control any more" : $"control is held by '{holder}' now";
            }

            string master = options.Value.TeleopMaster;
            string? told = await announcer.AnnounceAsync(master, newHolder, cancellationToken).ConfigureAwait(false);
            string[] cutOff = LiveTokenHoldersOtherThan(newHolder);
            if (told is not null && cutOff.Length > 0)
            {
                Record(http, "teleopControlRefused", ("action", action), ("from", holder ?? ""), ("to", newHolder ?? ""), ("session", sessionId ?? ""),
                    ("why", told));
                return $"the controller's broker could not be told ({told}), and the console token of {string.Join(", ", cutOff.Select(u => $"'{u}'"))} "
                    + "would still be admitted: control stays as it is";
            }

            lock (_tokensValidUntil)
            {
                _holder = newHolder;
                _sessionId = newHolder is null ? null : sessionId;
                _activeUntil = time.GetUtcNow().AddSeconds(options.Value.TeleopCredentialSeconds);
            }

            Record(http, "teleopControl", ("action", action), ("from", holder ?? ""), ("to", newHolder ?? ""), ("session", sessionId ?? session ?? ""),
                ("master", master), ("broker", told is null ? "told" : "not told: " + told));
            Changed?.Invoke(action, http?.User.Identity?.Name ?? "service");
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A console credential valid until <paramref name="expiresUtc"/> was issued to <paramref name="user"/>.</summary>
    public void NoteIssued(string user, DateTimeOffset expiresUtc)
    {
        lock (_tokensValidUntil)
        {
            if (!_tokensValidUntil.TryGetValue(user, out DateTimeOffset until) || until < expiresUtc)
            {
                _tokensValidUntil[user] = expiresUtc;
            }

            if (user == _holder && expiresUtc > _activeUntil)
            {
                _activeUntil = expiresUtc;
            }
        }
    }

    /// <summary>The relay opened a console connection for <paramref name="user"/>.</summary>
    public void RelayOpened(string user)
    {
        lock (_tokensValidUntil)
        {
            _openRelays[user] = _openRelays.GetValueOrDefault(user) + 1;
        }
    }

    /// <summary>The relay closed a console connection of <paramref name="user"/>.</summary>
    public void RelayClosed(string user)
    {
        lock (_tokensValidUntil)
        {
            int n = _openRelays.GetValueOrDefault(user) - 1;
            if (n > 0)
            {
                _openRelays[user] = n;
            }
            else
            {
                _openRelays.Remove(user);
            }

            if (user == _holder)
            {
                DateTimeOffset until = time.GetUtcNow().AddSeconds(options.Value.TeleopCredentialSeconds);
                _activeUntil = until > _activeUntil ? until : _activeUntil;
            }
        }
    }

    /// <summary>
    /// True when the holder has let control lapse: no console of theirs is connected through the relay, and for a whole
    /// credential lifetime (<c>Controller:TeleopCredentialSeconds</c>) none was, no credential of theirs was valid, and
    /// control was not taken. Someone else may then take it (<c>take</c>): a holder who walked away does not lock
    /// everyone out.
    /// </summary>
    public bool Lapsed
    {
        get
        {
            lock (_tokensValidUntil)
            {
                return _holder is not null && !_openRelays.ContainsKey(_holder) && time.GetUtcNow() > _activeUntil;
            }
        }
    }

    private void Record(HttpContext? http, string kind, params (string Name, string Value)[] subject)
    {
        if (http is null)
        {
            audit.RecordSystem(kind, subject);
        }
        else
        {
            audit.Record(http, kind, subject);
        }
    }

    // Users other than 'keep' holding a console token that has not expired yet (clock skew allowed for).
    private string[] LiveTokenHoldersOtherThan(string? keep)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_tokensValidUntil)
        {
            return [.. _tokensValidUntil.Where(t => t.Key != keep && t.Value + Robotics.Transport.MasterToken.ClockSkew > now).Select(t => t.Key).Order(StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
