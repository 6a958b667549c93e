using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;

namespace MeTAI.Service.SharedSessions;

/// <summary>
/// One live shared session of a case (the "metaverse" of the founding paper): participants, their pointers, the
/// annotations pinned in the scene and the replay everyone watches, kept in memory (a session lives as long as the
/// service), and fanned out to every participant's event stream. Thread-safe: every change takes the session's lock
/// and publishes an event; a slow reader loses its oldest events, never blocks the others.
/// </summary>
public sealed class SharedSession
{
    /// <summary>Most participants at once.</summary>
    public const int MaxParticipants = 32;

    /// <summary>Most annotations in a session.</summary>
    public const int MaxAnnotations = 200;

    private readonly Lock _lock = new();
    private readonly List<ParticipantView> _participants = [];
    private readonly Dictionary<string, PointerView> _pointers = new(StringComparer.Ordinal);
    private readonly List<AnnotationView> _annotations = [];
    private readonly ConcurrentDictionary<Channel<SseItem<string>>, bool> _subscribers = new();
    private ReplayView? _replay;
    private int _nextAnnotation = 1;
    private bool _ended;

    /// <summary>Opens a session.</summary>
    public SharedSession(string id, string title, string? rehearsalId, string createdBy, DateTimeOffset createdUtc)
    {
        Id = id;
        Title = title;
        RehearsalId = rehearsalId;
        CreatedBy = createdBy;
        CreatedUtc = createdUtc;
    }

    /// <summary>Session id.</summary>
    public string Id { get; }

    /// <summary>Title.</summary>
    public string Title { get; }

    /// <summary>The rehearsal whose scene it shows (null: the arm only).</summary>
    public string? RehearsalId { get; }

    /// <summary>Who opened it.</summary>
    public string CreatedBy { get; }

    /// <summary>When.</summary>
    public DateTimeOffset CreatedUtc { get; }

    /// <summary>True once ended.</summary>
    public bool Ended
    {
        get
        {
            lock (_lock)
            {
                return _ended;
            }
        }
    }

    /// <summary>The participant <paramref name="user"/>, or null.</summary>
    public ParticipantView? Participant(string user)
    {
        lock (_lock)
        {
            return _participants.Find(p => p.User == user);
        }
    }

    /// <summary>The state as everyone sees it, with <paramref name="control"/> as the service's control lease has it.</summary>
    public SharedSessionView View(ControlView control)
    {
        lock (_lock)
        {
            return new SharedSessionView
            {
                Id = Id,
                Title = Title,
                RehearsalId = RehearsalId,
                CreatedBy = CreatedBy,
                CreatedUtc = CreatedUtc,
                Participants = [.. _participants],
                Pointers = [.. _pointers.Values.OrderBy(p => p.User, StringComparer.Ordinal)],
                Annotations = [.. _annotations],
                Replay = _replay,
                Control = control,
                Ended = _ended,
            };
        }
    }

    /// <summary>Adds <paramref name="participant"/>, or changes the role of a user already in; null when done, else why not.</summary>
    public string? Join(ParticipantView participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        lock (_lock)
        {
            if (_ended)
            {
                return $"session {Id} has ended";
            }

            int at = _participants.FindIndex(p => p.User == participant.User);
            if (at >= 0)
            {
                _participants[at] = participant with { JoinedUtc = _participants[at].JoinedUtc };
            }
            else if (_participants.Count >= MaxParticipants)
            {
                return $"session {Id} is full ({MaxParticipants} participants)";
            }
            else
            {
                _participants.Add(participant);
            }

            Publish("participants", _participants);
            return null;
        }
    }

    /// <summary>Removes <paramref name="user"/> and their pointer; false when not a participant.</summary>
    public bool Leave(string user)
    {
        lock (_lock)
        {
            if (_participants.RemoveAll(p => p.User == user) == 0)
            {
                return false;
            }

            _pointers.Remove(user);
            Publish("participants", _participants);
            Publish("pointer", new { user, position = (double[]?)null });
            return true;
        }
    }

    /// <summary>Sets <paramref name="user"/>'s pointer.</summary>
    public void Point(string user, double[] position, DateTimeOffset utc)
    {
        lock (_lock)
        {
            var pointer = new PointerView(user, position, utc);
            _pointers[user] = pointer;
            Publish("pointer", pointer);
        }
    }

    /// <summary>Pins an annotation; null when the session is full of them.</summary>
    public AnnotationView? Annotate(string user, double[] position, string text, DateTimeOffset utc)
    {
        lock (_lock)
        {
            if (_annotations.Count >= MaxAnnotations)
            {
                return null;
            }

            var a = new AnnotationView($"a{_nextAnnotation++}", user, position, text, utc);
            _annotations.Add(a);
            Publish("annotation", new { added = a });
            return a;
        }
    }

    /// <summary>The annotation <paramref name="id"/>, or null.</summary>
    public AnnotationView? Annotation(string id)
    {
        lock (_lock)
        {
            return _annotations.Find(a => a.Id == id);
        }
    }

    /// <summary>Removes annotation <paramref name="id"/>; false when there is none.</summary>
    public bool RemoveAnnotation(string id)
    {
        lock (_lock)
        {
            if (_annotations.RemoveAll(a => a.Id == id) == 0)
            {
                return false;
            }

            Publish("annotation", new { removed = id });
            return true;
        }
    }

    /// <summary>Sets the replay everyone watches.</summary>
    public void SetReplay(ReplayView replay)
    {
        lock (_lock)
        {
            _replay = replay;
            Publish("replay", replay);
        }
    }

    /// <summary>Tells every participant who holds control now, and why (<paramref name="action"/> by <paramref name="by"/>).</summary>
    public void ControlChanged(ControlView control, string action, string by) => Publish("control", new { control.Holder, control.SessionId, action, by });

    /// <summary>Forwards an event of the controller (its state, its 10 Hz telemetry with the arm's joints and tool).</summary>
    public void Controller(SseItem<string> item)
    {
        foreach (Channel<SseItem<string>> ch in _subscribers.Keys)
        {
            ch.Writer.TryWrite(item);
        }
    }

    /// <summary>Ends the session: every stream gets <c>ended</c> and closes.</summary>
    public void End(string by)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            Publish("ended", new { by });
            foreach (Channel<SseItem<string>> ch in _subscribers.Keys)
            {
                ch.Writer.TryComplete();
            }
        }
    }

    /// <summary>
    /// Server-sent events until the session ends or <paramref name="cancellationToken"/>: first <c>snapshot</c> (the
    /// view), then <c>participants</c>, <c>pointer</c>, <c>annotation</c>, <c>replay</c>, <c>control</c>, the
    /// controller's <c>state</c> and <c>telemetry</c>, and <c>ended</c>.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> EventsAsync(Func<SharedSessionView> snapshot, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var channel = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers[channel] = true;
        try
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(snapshot(), Jobs.PlanJobs.Json), "snapshot");
            if (Ended)
            {
                yield break;
            }

            while (true)
            {
                SseItem<string> item;
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield break; // ended
                    }

                    if (!channel.Reader.TryRead(out item))
                    {
                        continue;
                    }
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                yield return item;
            }
        }
        finally
        {
            _subscribers.TryRemove(channel, out _);
        }
    }

    // Called with the lock held (or for lock-free events): one event to every stream.
    private void Publish(string kind, object payload)
    {
        var item = new SseItem<string>(JsonSerializer.Serialize(payload, Jobs.PlanJobs.Json), kind);
        foreach (Channel<SseItem<string>> ch in _subscribers.Keys)
        {
            ch.Writer.TryWrite(item);
        }
    }
}
