using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Security.Cryptography;
using System.Text.Json;
using MeTAI.Core.IO;
using MeTAI.Robotics.Kinematics;
using MeTAI.Service.Controller;
using MeTAI.Service.Jobs;
using MeTAI.Service.Rehearsals;
using MeTAI.Service.Teleop;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.SharedSessions;

/// <summary>
/// The live shared sessions of the service, and the rules of control in them. Control of the arm is the service's one
/// <see cref="ControlLease"/> (the controller follows one console master); in a session it moves only explicitly:
/// <list type="bullet">
/// <item><b>take</b> — nobody holds control: a participant who may operate takes it;</item>
/// <item><b>handover</b> — the holder gives it to another participant who may operate;</item>
/// <item><b>takeover</b> — the session's instructor takes it from a participant of the session (teaching);</item>
/// <item><b>release</b> — the holder gives it up; leaving the session, or the session ending, releases it too.</item>
/// </list>
/// "May operate" = a session role other than observer and a service role holding <c>teleop.operate</c>. Every change
/// is audited and told to the controller's broker (which then admits only the holder's console token) before it counts;
/// every participant's stream shows it. The hub also forwards the controller's state and telemetry (the arm's joints and
/// tool at 10 Hz) to every session, with an <c>arm</c> event of the measured arm in the scene's frame (patient LPS mm,
/// <see cref="RehearsalScene.ArmLps"/>), so observers see the arm move without the controller permission.
/// </summary>
public sealed class SharedSessionHub(ControlLease lease, ControllerMonitor monitor, IOptions<ControllerMonitorOptions> options, TimeProvider time) : BackgroundService
{
    /// <summary>Most live sessions at once.</summary>
    public const int MaxSessions = 16;

    private readonly ConcurrentDictionary<string, SharedSession> _sessions = new(StringComparer.Ordinal);
    private RobotModel? _robot;

    /// <summary>The live sessions, newest first.</summary>
    public IReadOnlyList<SharedSession> List() => [.. _sessions.Values.Where(s => !s.Ended).OrderByDescending(s => s.CreatedUtc)];

    /// <summary>Session <paramref name="id"/> (ended ones too, until the service stops), or null.</summary>
    public SharedSession? Get(string id) => _sessions.TryGetValue(id, out SharedSession? s) ? s : null;

    /// <summary>Who holds control, as sessions show it.</summary>
    public ControlView Control()
    {
        (string? holder, string? session) = lease.Current;
        return new ControlView(holder, session);
    }

    /// <summary>The view of <paramref name="session"/>.</summary>
    public SharedSessionView View(SharedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.View(Control());
    }

    /// <summary>Opens a session; null when too many are live.</summary>
    public SharedSession? Open(string title, string? rehearsalId, string createdBy)
    {
        if (_sessions.Values.Count(s => !s.Ended) >= MaxSessions)
        {
            return null;
        }

        var session = new SharedSession("s" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)), title, rehearsalId, createdBy, time.GetUtcNow());
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>
    /// Control action <paramref name="action"/> (take, handover, takeover, release) by participant <paramref name="by"/>
    /// of <paramref name="session"/>, handing to <paramref name="to"/> (handover only). Returns null when done, else the
    /// HTTP status and why not.
    /// </summary>
    public async Task<(int Status, string Why)?> ControlAsync(HttpContext http, SharedSession session, string action, string by, string? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Ended)
        {
            return (StatusCodes.Status409Conflict, $"session {session.Id} has ended");
        }

        if (session.Participant(by) is not { } caller)
        {
            return (StatusCodes.Status403Forbidden, $"'{by}' has not joined session {session.Id}");
        }

        (string? holder, _) = lease.Current;
        string? newHolder;
        switch (action)
        {
            case "take":
                if (!caller.MayOperate)
                {
                    return (StatusCodes.Status403Forbidden, NotOperator(caller));
                }

                if (holder == by)
                {
                    return null;
                }

                if (holder is not null && !lease.Lapsed)
                {
                    return (StatusCodes.Status409Conflict, $"control is held by '{holder}': it must be handed over"
                        + (caller.Role == "instructor" ? ", or taken over (action takeover) if they are in this session" : ""));
                }

                newHolder = by;
                break;
            case "takeover":
                if (caller.Role != "instructor" || !caller.MayOperate)
                {
                    return (StatusCodes.Status403Forbidden, "only the session's instructor, who may operate, can take control over");
                }

                if (holder is null)
                {
                    return (StatusCodes.Status409Conflict, "nobody holds control: take it (action take)");
                }

                if (holder == by)
                {
                    return null;
                }

                if (session.Participant(holder) is null)
                {
                    return (StatusCodes.Status409Conflict, $"control is held by '{holder}', who is not in this session");
                }

                newHolder = by;
                break;
            case "handover":
                if (holder != by)
                {
                    return (StatusCodes.Status409Conflict, holder is null ? "nobody holds control" : $"control is held by '{holder}', not by you");
                }

                if (string.IsNullOrEmpty(to) || session.Participant(to) is not { } receiver)
                {
                    return (StatusCodes.Status400BadRequest, $"'to' must name a participant of session {session.Id}" + (string.IsNullOrEmpty(to) ? "" : $" ('{to}' is not one)"));
                }

                if (!receiver.MayOperate)
                {
                    return (StatusCodes.Status409Conflict, NotOperator(receiver));
                }

                newHolder = to;
                break;
            case "release":
                if (holder != by)
                {
                    return (StatusCodes.Status409Conflict, holder is null ? "nobody holds control" : $"control is held by '{holder}', not by you");
                }

                newHolder = null;
                break;
            default:
                return (StatusCodes.Status400BadRequest, $"unknown action '{action}' (take, handover, takeover, release)");
        }

        if (await lease.ChangeAsync(http, holder, newHolder, session.Id, action, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return (StatusCodes.Status503ServiceUnavailable, refused);
        }

        return null;
    }

    /// <summary><paramref name="user"/> leaves <paramref name="session"/>; control they hold is released first (audited).</summary>
    public async Task<string?> LeaveAsync(HttpContext http, SharedSession session, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (lease.Current.Holder == user && await lease.ChangeAsync(http, user, null, session.Id, "leave", cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        session.Leave(user);
        return null;
    }

    /// <summary>Ends <paramref name="session"/>; control given in it is released first (audited).</summary>
    public async Task<string?> EndAsync(HttpContext http, SharedSession session, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        (string? holder, string? inSession) = lease.Current;
        if (holder is not null && (inSession == session.Id || session.Participant(holder) is not null)
            && await lease.ChangeAsync(http, holder, null, session.Id, "end", cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        session.End(by);
        return null;
    }

    // Every live session sees every control change (control is service-wide: the console alone changes it too).
    private void Announce(string action, string by)
    {
        ControlView control = Control();
        foreach (SharedSession s in _sessions.Values.Where(s => !s.Ended))
        {
            s.ControlChanged(control, action, by);
        }
    }

    private static string NotOperator(ParticipantView p) => p.Role == "observer"
        ? $"'{p.User}' joined as an observer, who never holds control"
        : $"'{p.User}' may not teleoperate (their service role has no teleop.operate)";

    /// <summary>Forwards the controller's state and telemetry to every live session until the service stops.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lease.Changed += Announce;
        try
        {
            await foreach (SseItem<string> item in monitor.EventsAsync(stoppingToken).ConfigureAwait(false))
            {
                if (item.EventType is "state" or "telemetry")
                {
                    SseItem<string>? arm = item.EventType == "telemetry" ? ArmEvent(item.Data) : null;
                    foreach (SharedSession s in _sessions.Values)
                    {
                        if (!s.Ended)
                        {
                            s.Controller(item);
                            if (arm is { } a)
                            {
                                s.Controller(a);
                            }
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            lease.Changed -= Announce;
        }
    }

    // The measured arm of a telemetry message in the scene's frame; null when the message has no joints for this robot.
    private SseItem<string>? ArmEvent(string telemetryJson)
    {
        RobotModel? robot = _robot ??= monitor.Rig?.Robot ?? LoadRobot();
        if (robot is null)
        {
            return null;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(telemetryJson);
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("measuredRad", out JsonElement m) || m.ValueKind != JsonValueKind.Array || m.GetArrayLength() != robot.JointCount)
            {
                return null;
            }

            double[] q = [.. m.EnumerateArray().Select(v => v.GetDouble())];
            (double[] basePoint, double[][] joints, double[] tool) = RehearsalScene.ArmLps(robot, q);
            string json = JsonSerializer.Serialize(new
            {
                baseLps = basePoint,
                jointsLps = joints,
                toolLps = tool,
                state = root.TryGetProperty("state", out JsonElement st) ? st.GetString() : null,
                utc = root.TryGetProperty("utc", out JsonElement u) ? u.GetString() : null,
            }, PlanJobs.Json);
            return new SseItem<string>(json, "arm");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null; // not the controller's telemetry as documented: nothing to draw
        }
    }

    private RobotModel? LoadRobot()
    {
        try
        {
            return RobotConfigJson.Load(options.Value.RobotFile ?? ConfigFiles.PathOf("robots", "metai-arm6.json"));
        }
        catch (Exception ex) when (ex is IOException or FormatException or InvalidDataException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (SharedSession s in _sessions.Values)
        {
            s.End("service stopping");
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
