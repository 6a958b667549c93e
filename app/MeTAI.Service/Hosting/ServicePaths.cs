namespace MeTAI.Service.Hosting;

/// <summary>
/// Layout of the data directory: <c>jobs.db</c> (SQLite, WAL), <c>jobs/{id}/</c> (a finished plan's files),
/// <c>jobs/{id}.partial/</c> (a running plan's files, renamed on success), <c>uploads/{id}/case/</c> (an uploaded case:
/// <c>ct/</c> + <c>rtstruct.dcm</c>), <c>uploads/.incoming/</c> (uploads being checked), <c>training/{user}.json</c> (a user's training scores).
/// </summary>
public sealed class ServicePaths
{
    /// <summary>Creates the folders under <paramref name="dataDirectory"/>.</summary>
    public ServicePaths(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Root = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(Jobs);
        Directory.CreateDirectory(Uploads);
        Directory.CreateDirectory(Incoming);
        foreach (string dir in new[] { Root, Jobs, Uploads, Incoming })
        {
            FilePermissions.Restrict(dir); // 0700, also for folders an older service made
        }
    }

    /// <summary>Users and tokens.</summary>
    public string UsersDatabase => Path.Combine(Root, Users.UserStore.FileName);

    /// <summary>The data directory.</summary>
    public string Root { get; }

    /// <summary>The job database.</summary>
    public string Database => Path.Combine(Root, "jobs.db");

    /// <summary>Plan outputs.</summary>
    public string Jobs => Path.Combine(Root, "jobs");

    /// <summary>Uploaded cases.</summary>
    public string Uploads => Path.Combine(Root, "uploads");

    /// <summary>Uploads being received and checked.</summary>
    public string Incoming => Path.Combine(Uploads, ".incoming");

    /// <summary>A finished job's output folder.</summary>
    public string JobOutput(string id) => Path.Combine(Jobs, id);

    /// <summary>A running job's output folder.</summary>
    public string JobPartial(string id) => Path.Combine(Jobs, id + ".partial");

    /// <summary>Training scores, one JSON file per user (<c>Training/TrainingScoreStore</c>).</summary>
    public string Training => Path.Combine(Root, "training");

    /// <summary>An upload's folder.</summary>
    public string Upload(string id) => Path.Combine(Uploads, id);

    /// <summary>An upload's case folder (<c>ct/</c> + <c>rtstruct.dcm</c>).</summary>
    public string UploadCase(string id) => Path.Combine(Uploads, id, "case");
}
