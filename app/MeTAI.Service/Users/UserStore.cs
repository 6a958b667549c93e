using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MeTAI.Service.Hosting;
using Microsoft.Data.Sqlite;

namespace MeTAI.Service.Users;

/// <summary>
/// Users and personal API tokens: one SQLite file, <c>DATA/users.db</c>, shared by the running service and
/// <c>metai users …</c> (so a revocation or role change made by the CLI holds at the next request, with no restart).
/// Passwords are kept as <see cref="PasswordHashing"/> hashes, tokens as SHA-256 digests; every request looks its
/// token or session up again.
/// </summary>
public sealed class UserStore
{
    /// <summary>File name in the data directory.</summary>
    public const string FileName = "users.db";

    /// <summary>Prefix of personal tokens (so a leaked one is recognisable in logs and by secret scanners).</summary>
    public const string TokenPrefix = "metai_";

    /// <summary>Longest user name.</summary>
    public const int MaxNameLength = 64;

    private readonly string _connectionString;

    /// <summary>Opens (creating) the store at <paramref name="databasePath"/>.</summary>
    public UserStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
        using SqliteConnection c = Open();
        Run(c, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS users (
                name           TEXT PRIMARY KEY,
                role           TEXT NOT NULL,
                password_hash  TEXT NOT NULL,
                must_change    INTEGER NOT NULL,
                stamp          TEXT NOT NULL,
                created_utc    TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS tokens (
                hash           TEXT PRIMARY KEY,
                id             TEXT NOT NULL,
                user           TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                created_utc    TEXT NOT NULL,
                expires_utc    TEXT NOT NULL,
                revoked_utc    TEXT
            );
            """);
        FilePermissions.Restrict(databasePath);
    }

    /// <summary>Number of users.</summary>
    public int Count
    {
        get
        {
            using SqliteConnection c = Open();
            return Convert.ToInt32(Scalar(c, "SELECT COUNT(*) FROM users;"), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Adds a user with a one-time password (returned; it must be changed at the first sign-in).</summary>
    /// <exception cref="ArgumentException">The name is not valid or already taken.</exception>
    public string Add(string name, Role role)
    {
        CheckName(name);
        string password = PasswordHashing.NewPassword();
        using SqliteConnection c = Open();
        try
        {
            Run(c, "INSERT INTO users (name, role, password_hash, must_change, stamp, created_utc) VALUES ($n, $r, $h, 1, $s, $t);",
                ("$n", name), ("$r", Permissions.Name(role)), ("$h", PasswordHashing.Hash(password)), ("$s", NewStamp()), ("$t", Time(DateTime.UtcNow)));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new ArgumentException($"User '{name}' already exists.", ex);
        }

        return password;
    }

    /// <summary>The user, or null.</summary>
    public UserRecord? Get(string name)
    {
        using SqliteConnection c = Open();
        return Users(c, "SELECT * FROM users WHERE name = $n;", ("$n", name)).FirstOrDefault();
    }

    /// <summary>Every user, by name.</summary>
    public IReadOnlyList<UserRecord> List()
    {
        using SqliteConnection c = Open();
        return Users(c, "SELECT * FROM users ORDER BY name;");
    }

    /// <summary>The user when <paramref name="password"/> is theirs, else null (an unknown name costs the same time).</summary>
    public UserRecord? CheckPassword(string name, string password)
    {
        using SqliteConnection c = Open();
        string? hash = Scalar(c, "SELECT password_hash FROM users WHERE name = $n;", ("$n", name)) as string;
        bool ok = PasswordHashing.Verify(password, hash ?? DummyHash.Value);
        return ok && hash is not null ? Users(c, "SELECT * FROM users WHERE name = $n;", ("$n", name)).FirstOrDefault() : null;
    }

    /// <summary>Sets a new password (ends the user's sessions).</summary>
    /// <exception cref="ArgumentException">Shorter than 12 characters, or the user is unknown.</exception>
    public void SetPassword(string name, string newPassword)
    {
        ArgumentNullException.ThrowIfNull(newPassword);
        if (newPassword.Length < 12)
        {
            throw new ArgumentException("A password needs at least 12 characters.");
        }

        Update(name, "UPDATE users SET password_hash = $h, must_change = 0, stamp = $s WHERE name = $n;", ("$h", PasswordHashing.Hash(newPassword)));
    }

    /// <summary>Changes a user's role (ends their sessions; their tokens carry the new role at once).</summary>
    public void SetRole(string name, Role role) =>
        Update(name, "UPDATE users SET role = $r, stamp = $s WHERE name = $n;", ("$r", Permissions.Name(role)));

    /// <summary>Revokes all of a user's tokens and ends their sessions; returns the number of tokens revoked.</summary>
    public int Revoke(string name)
    {
        Update(name, "UPDATE users SET stamp = $s WHERE name = $n;");
        using SqliteConnection c = Open();
        return Run(c, "UPDATE tokens SET revoked_utc = $t WHERE user = $n AND revoked_utc IS NULL;", ("$n", name), ("$t", Time(DateTime.UtcNow)));
    }

    /// <summary>Issues a personal token valid for <paramref name="days"/> days; returns the token (shown once) and its record.</summary>
    public (string Token, TokenRecord Record) IssueToken(string name, int days)
    {
        if (days is < 1 or > 366)
        {
            throw new ArgumentException($"--days {days}: a token lasts 1 to 366 days.");
        }

        if (Get(name) is null)
        {
            throw new ArgumentException($"No user '{name}'.");
        }

        string token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        string hash = Digest(token);
        DateTime now = DateTime.UtcNow;
        var record = new TokenRecord { Id = hash[..12], User = name, CreatedUtc = now, ExpiresUtc = now.AddDays(days) };
        using SqliteConnection c = Open();
        Run(c, "INSERT INTO tokens (hash, id, user, created_utc, expires_utc) VALUES ($h, $i, $u, $c, $e);",
            ("$h", hash), ("$i", record.Id), ("$u", name), ("$c", Time(now)), ("$e", Time(record.ExpiresUtc)));
        return (token, record);
    }

    /// <summary>The user a token belongs to when it is known, unexpired and not revoked; else null.</summary>
    public UserRecord? FindByToken(string token, DateTime nowUtc)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        using SqliteConnection c = Open();
        return Users(c, "SELECT u.* FROM tokens t JOIN users u ON u.name = t.user WHERE t.hash = $h AND t.revoked_utc IS NULL AND t.expires_utc > $now;",
            ("$h", Digest(token)), ("$now", Time(nowUtc))).FirstOrDefault();
    }

    /// <summary>A user's tokens, newest first.</summary>
    public IReadOnlyList<TokenRecord> Tokens(string name)
    {
        using SqliteConnection c = Open();
        using SqliteCommand q = Command(c, "SELECT id, user, created_utc, expires_utc, revoked_utc FROM tokens WHERE user = $u ORDER BY created_utc DESC;", ("$u", name));
        using SqliteDataReader r = q.ExecuteReader();
        var list = new List<TokenRecord>();
        while (r.Read())
        {
            list.Add(new TokenRecord
            {
                Id = r.GetString(0),
                User = r.GetString(1),
                CreatedUtc = ParseTime(r.GetString(2)),
                ExpiresUtc = ParseTime(r.GetString(3)),
                RevokedUtc = r.IsDBNull(4) ? null : ParseTime(r.GetString(4)),
            });
        }

        return list;
    }

    /// <summary>Checks a user name: 1–64 characters of letters, digits, '.', '_', '-' and '@'.</summary>
    public static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' or '@'))
        {
            throw new ArgumentException($"User name '{name}' is not valid: use 1–{MaxNameLength} letters, digits, '.', '_', '-' or '@'.");
        }
    }

    private static readonly Lazy<string> DummyHash = new(() => PasswordHashing.Hash("not a password of anyone"));

    private void Update(string name, string sql, params (string, object?)[] extra)
    {
        using SqliteConnection c = Open();
        if (Run(c, sql, [("$n", name), ("$s", NewStamp()), .. extra]) != 1)
        {
            throw new ArgumentException($"No user '{name}'.");
        }
    }

    private static string Digest(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Run(c, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;");
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string n, object? v) in parameters)
        {
            cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        }

        return cmd;
    }

    private static int Run(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand cmd = Command(c, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand cmd = Command(c, sql, parameters);
        return cmd.ExecuteScalar();
    }

    private static List<UserRecord> Users(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand cmd = Command(c, sql, parameters);
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<UserRecord>();
        while (r.Read())
        {
            list.Add(new UserRecord
            {
                Name = r.GetString(r.GetOrdinal("name")),
                Role = Permissions.ParseRole(r.GetString(r.GetOrdinal("role"))),
                MustChangePassword = r.GetInt64(r.GetOrdinal("must_change")) != 0,
                SecurityStamp = r.GetString(r.GetOrdinal("stamp")),
                CreatedUtc = ParseTime(r.GetString(r.GetOrdinal("created_utc"))),
            });
        }

        return list;
    }

    private static string Time(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
