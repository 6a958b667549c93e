using System.Text;
using System.Text.Json;
using MeTAI.Core.IO;
using MeTAI.Service.Hosting;

namespace MeTAI.Service.Training;

/// <summary>
/// Training scores kept per user: one JSON file per user in <see cref="ServicePaths.Training"/>
/// (<see cref="TrainingUserScores"/>), rewritten whole for each new attempt through a temporary file and a rename
/// (<see cref="AtomicFile"/>), so a reader or a crash never sees half a file. Owner-only, like the rest of the data directory.
/// </summary>
public sealed class TrainingScoreStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _gate = new();

    /// <summary>Uses (and creates) the data directory's training folder.</summary>
    public TrainingScoreStore(ServicePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Directory = paths.Training;
        System.IO.Directory.CreateDirectory(Directory);
        FilePermissions.Restrict(Directory);
    }

    /// <summary>The folder of the scores files.</summary>
    public string Directory { get; }

    /// <summary>
    /// The file of <paramref name="user"/>: <c>{user}.json</c> for a name of letters, digits, '.', '_', '-' and '@' (what
    /// user names are made of), else <c>x-{UTF-8 hex}.json</c>, so no name can reach outside the folder.
    /// </summary>
    public string FileOf(string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        bool plain = user.Length <= 64 && user[0] != '.';
        foreach (char c in user)
        {
            plain &= char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@';
        }

        string name = plain ? user : "x-" + Convert.ToHexString(Encoding.UTF8.GetBytes(user));
        return Path.Combine(Directory, name + ".json");
    }

    /// <summary>The finished attempts of <paramref name="user"/>, oldest first (none when the user has no file).</summary>
    /// <exception cref="InvalidDataException">The file is not a scores file (the message names it).</exception>
    public IReadOnlyList<TrainingAttemptRecord> Of(string user)
    {
        lock (_gate)
        {
            return Read(user).Attempts;
        }
    }

    /// <summary>Appends a finished attempt to its user's file.</summary>
    public void Add(TrainingAttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        lock (_gate)
        {
            TrainingUserScores scores = Read(attempt.User);
            scores.User = attempt.User;
            scores.Attempts.Add(attempt);
            string path = FileOf(attempt.User);
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(scores, Json));
            FilePermissions.Restrict(path);
        }
    }

    private TrainingUserScores Read(string user)
    {
        string path = FileOf(user);
        if (!File.Exists(path))
        {
            return new TrainingUserScores { User = user };
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingUserScores>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: the file holds null, not training scores.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a training scores file ({ex.Message}).", ex);
        }
    }
}
