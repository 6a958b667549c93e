using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MeTAI.Service.Jobs;

/// <summary>
/// The job store: one SQLite file (<c>jobs.db</c>, WAL journal) in the data directory holding plan jobs and uploads.
/// The schema is versioned with <c>PRAGMA user_version</c>; a database from a newer service is refused rather than
/// guessed at. Every call opens its own pooled connection, so the store is safe to use from any thread.
/// </summary>
public sealed class JobStore
{
    /// <summary>Schema version this code writes.</summary>
    public const int SchemaVersion = 2;

    /// <summary>Reason recorded on jobs that were running when the service stopped.</summary>
    public const string InterruptedReason = "Interrupted: the service stopped while this job was running (restart or crash); its partial output was discarded. Submit it again.";

    private readonly string _connectionString;

    /// <summary>Opens (creating or migrating) the store at <paramref name="databasePath"/>.</summary>
    public JobStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        DatabasePath = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Migrate();
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using SqliteCommand pragma = c.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";
        pragma.ExecuteNonQuery();
        return c;
    }

    private void Migrate()
    {
        using SqliteConnection c = Open();
        using (SqliteCommand wal = c.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        int version = Convert.ToInt32(Scalar(c, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"{DatabasePath} has schema version {version}, newer than this service's {SchemaVersion}; use a newer service or another data directory.");
        }

        if (version < 1)
        {
            using SqliteTransaction t = c.BeginTransaction();
            using SqliteCommand create = c.CreateCommand();
            create.Transaction = t;
            create.CommandText = """
                CREATE TABLE jobs (
                    id            TEXT PRIMARY KEY,
                    status        TEXT NOT NULL,
                    progress      REAL NOT NULL DEFAULT 0,
                    phase         TEXT,
                    created_utc   TEXT NOT NULL,
                    started_utc   TEXT,
                    finished_utc  TEXT,
                    request_json  TEXT NOT NULL,
                    error         TEXT,
                    runner        TEXT,
                    result_json   TEXT
                );
                CREATE INDEX jobs_status ON jobs(status);
                CREATE TABLE uploads (
                    id            TEXT PRIMARY KEY,
                    created_utc   TEXT NOT NULL,
                    summary_json  TEXT NOT NULL
                );
                PRAGMA user_version = 1;
                """;
            create.ExecuteNonQuery();
            t.Commit();
        }

        if (version < 2)
        {
            // Version 2: plan review and approval (draft → reviewed → approved), one row per plan once reviewed.
            using SqliteTransaction t = c.BeginTransaction();
            using SqliteCommand create = c.CreateCommand();
            create.Transaction = t;
            create.CommandText = """
                CREATE TABLE reviews (
                    plan_id       TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                    state         TEXT NOT NULL,
                    reviewed_by   TEXT NOT NULL,
                    reviewed_utc  TEXT NOT NULL,
                    approved_by   TEXT,
                    approved_utc  TEXT
                );
                PRAGMA user_version = 2;
                """;
            create.ExecuteNonQuery();
            t.Commit();
        }
    }

    /// <summary>A plan's review, or null while it is a draft.</summary>
    public PlanReview? GetReview(string id)
    {
        using SqliteConnection c = Open();
        using SqliteCommand q = c.CreateCommand();
        q.CommandText = "SELECT state, reviewed_by, reviewed_utc, approved_by, approved_utc FROM reviews WHERE plan_id = $id;";
        q.Parameters.AddWithValue("$id", id);
        using SqliteDataReader r = q.ExecuteReader();
        return r.Read()
            ? new PlanReview(r.GetString(0), r.GetString(1), ParseTime(r.GetString(2)), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : ParseTime(r.GetString(4)))
            : null;
    }

    /// <summary>Marks a succeeded draft plan reviewed; false when it is not a succeeded draft.</summary>
    public bool MarkReviewed(string id, string reviewer, DateTime utc) =>
        Execute("INSERT INTO reviews (plan_id, state, reviewed_by, reviewed_utc) SELECT id, 'reviewed', $by, $t FROM jobs WHERE id = $id AND status = 'succeeded' AND NOT EXISTS (SELECT 1 FROM reviews WHERE plan_id = $id);",
            ("$id", id), ("$by", reviewer), ("$t", Time(utc))) == 1;

    /// <summary>Marks a reviewed plan approved; false when it is not in review.</summary>
    public bool MarkApproved(string id, string approver, DateTime utc) =>
        Execute("UPDATE reviews SET state = 'approved', approved_by = $by, approved_utc = $t WHERE plan_id = $id AND state = 'reviewed';",
            ("$id", id), ("$by", approver), ("$t", Time(utc))) == 1;

    /// <summary>Puts an approved plan back in review (only when writing the approval into its files failed).</summary>
    public void UndoApproval(string id) =>
        Execute("UPDATE reviews SET state = 'reviewed', approved_by = NULL, approved_utc = NULL WHERE plan_id = $id;", ("$id", id));

    /// <summary>Adds a queued job.</summary>
    public JobRecord AddJob(string id, string requestJson, DateTime createdUtc)
    {
        var job = new JobRecord { Id = id, Status = JobStatus.Queued, CreatedUtc = createdUtc, RequestJson = requestJson };
        Execute("INSERT INTO jobs (id, status, progress, created_utc, request_json) VALUES ($id, $status, 0, $created, $request);",
            ("$id", id), ("$status", Text(JobStatus.Queued)), ("$created", Time(createdUtc)), ("$request", requestJson));
        return job;
    }

    /// <summary>The job, or null.</summary>
    public JobRecord? GetJob(string id) => Query("SELECT * FROM jobs WHERE id = $id;", ("$id", id)).FirstOrDefault();

    /// <summary>Plan jobs (not second checks, not rehearsals), newest first.</summary>
    public IReadOnlyList<JobRecord> ListJobs(int limit = 200) => Query($"SELECT * FROM jobs WHERE {IsPlan} ORDER BY created_utc DESC, id DESC LIMIT $limit;", ("$limit", limit));

    /// <summary>The plan job <paramref name="id"/>, or null (also when <paramref name="id"/> is a second check or a rehearsal).</summary>
    public JobRecord? GetPlan(string id) => Query($"SELECT * FROM jobs WHERE id = $id AND {IsPlan};", ("$id", id)).FirstOrDefault();

    /// <summary>Rehearsal jobs, newest first.</summary>
    public IReadOnlyList<JobRecord> ListRehearsals(int limit = 200) => Query($"SELECT * FROM jobs WHERE {IsRehearsal} ORDER BY created_utc DESC, id DESC LIMIT $limit;", ("$limit", limit));

    /// <summary>The rehearsal job <paramref name="id"/>, or null (also when <paramref name="id"/> is a plan).</summary>
    public JobRecord? GetRehearsal(string id) => Query($"SELECT * FROM jobs WHERE id = $id AND {IsRehearsal};", ("$id", id)).FirstOrDefault();

    // Plans, their second checks and rehearsals share the table and the queue; the request tells them apart.
    private const string IsPlan = "json_extract(request_json, '$.secondCheckOf') IS NULL AND json_extract(request_json, '$.rehearsal') IS NULL";
    private const string IsRehearsal = "json_extract(request_json, '$.rehearsal') IS NOT NULL";

    /// <summary>The second checks of plan <paramref name="planId"/>, newest first.</summary>
    public IReadOnlyList<JobRecord> SecondChecksOf(string planId) =>
        Query("SELECT * FROM jobs WHERE json_extract(request_json, '$.secondCheckOf') = $p ORDER BY created_utc DESC, id DESC;", ("$p", planId));

    /// <summary>Queued jobs, oldest first.</summary>
    public IReadOnlyList<JobRecord> QueuedJobs() => Query("SELECT * FROM jobs WHERE status = 'queued' ORDER BY created_utc, id;");

    /// <summary>Marks a queued job running; false when it is no longer queued (cancelled meanwhile).</summary>
    public bool TryStart(string id, string runner, DateTime startedUtc) =>
        Execute("UPDATE jobs SET status = 'running', started_utc = $t, runner = $runner, progress = 0 WHERE id = $id AND status = 'queued';",
            ("$id", id), ("$t", Time(startedUtc)), ("$runner", runner)) == 1;

    /// <summary>Records progress of a running job.</summary>
    public void SetProgress(string id, double progress, string? phase) =>
        Execute("UPDATE jobs SET progress = $p, phase = COALESCE($phase, phase) WHERE id = $id AND status = 'running';",
            ("$id", id), ("$p", Math.Clamp(progress, 0, 1)), ("$phase", phase));

    /// <summary>Marks a running job succeeded with its result.</summary>
    public void Succeed(string id, string resultJson, DateTime finishedUtc) =>
        Execute("UPDATE jobs SET status = 'succeeded', progress = 1, phase = 'done', result_json = $r, finished_utc = $t, error = NULL WHERE id = $id;",
            ("$id", id), ("$r", resultJson), ("$t", Time(finishedUtc)));

    /// <summary>Marks a job failed or cancelled with the reason.</summary>
    public void Finish(string id, JobStatus status, string reason, DateTime finishedUtc)
    {
        if (status is not (JobStatus.Failed or JobStatus.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Finish records failed or cancelled jobs.");
        }

        Execute("UPDATE jobs SET status = $s, error = $e, finished_utc = $t WHERE id = $id;",
            ("$id", id), ("$s", Text(status)), ("$e", reason), ("$t", Time(finishedUtc)));
    }

    /// <summary>Puts a running job back in the queue (graceful stop): it keeps its place (creation time) and starts afresh.</summary>
    public bool Requeue(string id) =>
        Execute("UPDATE jobs SET status = 'queued', started_utc = NULL, runner = NULL, progress = 0, phase = NULL WHERE id = $id AND status = 'running';", ("$id", id)) == 1;

    /// <summary>Cancels a job that is still queued; false when it is not queued.</summary>
    public bool CancelQueued(string id, DateTime finishedUtc) =>
        Execute("UPDATE jobs SET status = 'cancelled', error = 'Cancelled before it started.', finished_utc = $t WHERE id = $id AND status = 'queued';",
            ("$id", id), ("$t", Time(finishedUtc))) == 1;

    /// <summary>Deletes a finished job's row; false when it is active, approved (approved plans are kept) or absent.</summary>
    public bool DeleteFinished(string id) =>
        Execute("DELETE FROM jobs WHERE id = $id AND status NOT IN ('queued', 'running') AND NOT EXISTS (SELECT 1 FROM reviews WHERE plan_id = $id AND state = 'approved');", ("$id", id)) == 1;

    /// <summary>
    /// Start-up recovery: every job left <c>running</c> by a previous process is marked failed with
    /// <see cref="InterruptedReason"/>. Returns their ids. Queued jobs stay queued and run again.
    /// </summary>
    public IReadOnlyList<string> FailInterrupted(DateTime nowUtc)
    {
        using SqliteConnection c = Open();
        using SqliteTransaction t = c.BeginTransaction();
        var ids = new List<string>();
        using (SqliteCommand q = c.CreateCommand())
        {
            q.Transaction = t;
            q.CommandText = "SELECT id FROM jobs WHERE status = 'running';";
            using SqliteDataReader r = q.ExecuteReader();
            while (r.Read())
            {
                ids.Add(r.GetString(0));
            }
        }

        using (SqliteCommand u = c.CreateCommand())
        {
            u.Transaction = t;
            u.CommandText = "UPDATE jobs SET status = 'failed', error = $e, finished_utc = $t WHERE status = 'running';";
            u.Parameters.AddWithValue("$e", InterruptedReason);
            u.Parameters.AddWithValue("$t", Time(nowUtc));
            u.ExecuteNonQuery();
        }

        t.Commit();
        return ids;
    }

    /// <summary>Queued or running jobs submitted by <paramref name="user"/>.</summary>
    public int ActiveJobsOf(string user)
    {
        using SqliteConnection c = Open();
        return Convert.ToInt32(Scalar(c, "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND json_extract(request_json, '$.submittedBy') = $u;", ("$u", user)), CultureInfo.InvariantCulture);
    }

    /// <summary>Jobs whose request names upload <paramref name="uploadId"/>.</summary>
    public IReadOnlyList<JobRecord> JobsOnUpload(string uploadId) =>
        Query("SELECT * FROM jobs WHERE json_extract(request_json, '$.uploadId') = $u;", ("$u", uploadId));

    /// <summary>Uploads stored before <paramref name="cutoffUtc"/>, oldest first (ids).</summary>
    public IReadOnlyList<string> UploadsBefore(DateTime cutoffUtc)
    {
        using SqliteConnection c = Open();
        using SqliteCommand q = c.CreateCommand();
        q.CommandText = "SELECT id FROM uploads WHERE created_utc < $t ORDER BY created_utc;";
        q.Parameters.AddWithValue("$t", Time(cutoffUtc));
        using SqliteDataReader r = q.ExecuteReader();
        var ids = new List<string>();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    /// <summary>Deletes an upload's row.</summary>
    public bool DeleteUpload(string id) => Execute("DELETE FROM uploads WHERE id = $id;", ("$id", id)) == 1;

    /// <summary>Stores an upload's summary JSON.</summary>
    public void AddUpload(string id, string summaryJson, DateTime createdUtc) =>
        Execute("INSERT INTO uploads (id, created_utc, summary_json) VALUES ($id, $t, $s);", ("$id", id), ("$t", Time(createdUtc)), ("$s", summaryJson));

    /// <summary>An upload's summary JSON, or null.</summary>
    public string? GetUpload(string id)
    {
        using SqliteConnection c = Open();
        return Scalar(c, "SELECT summary_json FROM uploads WHERE id = $id;", ("$id", id)) as string;
    }

    /// <summary>Uploads' summary JSON, newest first.</summary>
    public IReadOnlyList<string> ListUploads(int limit = 200)
    {
        using SqliteConnection c = Open();
        using SqliteCommand q = c.CreateCommand();
        q.CommandText = "SELECT summary_json FROM uploads ORDER BY created_utc DESC, id DESC LIMIT $limit;";
        q.Parameters.AddWithValue("$limit", limit);
        using SqliteDataReader r = q.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteConnection c = Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd.ExecuteScalar();
    }

    private List<JobRecord> Query(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteConnection c = Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<JobRecord>();
        while (r.Read())
        {
            list.Add(new JobRecord
            {
                Id = r.GetString(r.GetOrdinal("id")),
                Status = Enum.Parse<JobStatus>(r.GetString(r.GetOrdinal("status")), ignoreCase: true),
                Progress = r.GetDouble(r.GetOrdinal("progress")),
                Phase = NullableString(r, "phase"),
                CreatedUtc = ParseTime(r.GetString(r.GetOrdinal("created_utc"))),
                StartedUtc = NullableString(r, "started_utc") is string s ? ParseTime(s) : null,
                FinishedUtc = NullableString(r, "finished_utc") is string f ? ParseTime(f) : null,
                RequestJson = r.GetString(r.GetOrdinal("request_json")),
                Error = NullableString(r, "error"),
                Runner = NullableString(r, "runner"),
                ResultJson = NullableString(r, "result_json"),
            });
        }

        return list;
    }

    private static string? NullableString(SqliteDataReader r, string column)
    {
        int i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetString(i);
    }

    private static string Text(JobStatus s) => s.ToString().ToLowerInvariant();

    private static string Time(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
