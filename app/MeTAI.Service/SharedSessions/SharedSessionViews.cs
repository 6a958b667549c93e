namespace MeTAI.Service.SharedSessions;

/// <summary>What a participant is in a shared session (chosen at join; control needs more, see <see cref="SharedSessionHub"/>).</summary>
public enum SessionRole
{
    /// <summary>Operates: may hold control.</summary>
    Surgeon,

    /// <summary>Assists at the table: may hold control when handed it.</summary>
    Assistant,

    /// <summary>Teaches: may hold control and take it over from any participant.</summary>
    Instructor,

    /// <summary>Watches: never holds control.</summary>
    Observer,
}

/// <summary>A participant as everyone sees them.</summary>
/// <param name="User">User name.</param>
/// <param name="Role">Session role (surgeon, assistant, instructor, observer).</param>
/// <param name="MayOperate">True when the user's service role may teleoperate (and the session role is not observer).</param>
/// <param name="JoinedUtc">When they joined.</param>
public sealed record ParticipantView(string User, string Role, bool MayOperate, DateTimeOffset JoinedUtc);

/// <summary>A participant's 3D pointer (the scene's frame: patient LPS, mm).</summary>
/// <param name="User">Whose.</param>
/// <param name="Position">x, y, z (mm).</param>
/// <param name="Utc">When it was set.</param>
public sealed record PointerView(string User, double[] Position, DateTimeOffset Utc);

/// <summary>A note pinned in the scene.</summary>
/// <param name="Id">Annotation id (a1, a2, …).</param>
/// <param name="User">Author.</param>
/// <param name="Position">x, y, z (patient LPS, mm).</param>
/// <param name="Text">Text (1–280 characters).</param>
/// <param name="Utc">When it was pinned.</param>
public sealed record AnnotationView(string Id, string User, double[] Position, string Text, DateTimeOffset Utc);

/// <summary>The rehearsal replay everyone watches: the frame shown and whether it plays.</summary>
/// <param name="Frame">Frame index (0-based).</param>
/// <param name="Playing">True while playing.</param>
/// <param name="By">Who set it.</param>
/// <param name="Utc">When.</param>
public sealed record ReplayView(int Frame, bool Playing, string By, DateTimeOffset Utc);

/// <summary>Who holds control of the arm (service-wide: one console master), as a session sees it.</summary>
/// <param name="Holder">The holder (null: nobody).</param>
/// <param name="SessionId">The session control was given in (null: the console alone, or nobody).</param>
public sealed record ControlView(string? Holder, string? SessionId);

/// <summary><c>GET /api/shared-sessions/{id}</c> and the first event of its stream.</summary>
public sealed record SharedSessionView
{
    /// <summary>Session id.</summary>
    public required string Id { get; init; }

    /// <summary>Title.</summary>
    public required string Title { get; init; }

    /// <summary>The rehearsal whose scene the session shows (null: the arm only).</summary>
    public string? RehearsalId { get; init; }

    /// <summary>Who opened it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Participants in order of joining.</summary>
    public required IReadOnlyList<ParticipantView> Participants { get; init; }

    /// <summary>Every participant's pointer.</summary>
    public required IReadOnlyList<PointerView> Pointers { get; init; }

    /// <summary>Annotations in order of pinning.</summary>
    public required IReadOnlyList<AnnotationView> Annotations { get; init; }

    /// <summary>The replay everyone watches (null: none started).</summary>
    public ReplayView? Replay { get; init; }

    /// <summary>Who holds control of the arm.</summary>
    public required ControlView Control { get; init; }

    /// <summary>True once ended.</summary>
    public bool Ended { get; init; }
}
