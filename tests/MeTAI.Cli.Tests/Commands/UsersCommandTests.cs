using MeTAI.Service.Users;

namespace MeTAI.Cli.Tests.Commands;

public class UsersCommandTests
{
    [Fact]
    public void Users_AddTokenListRoleRevoke_OnTheDataDirectory()
    {
        string data = Path.Combine(CliRunner.TempDir("users"), "data");
        (int code, string stdout, string stderr) = CliRunner.Run("users", "add", "alice", "--role", "physicist", "--data-dir", data);
        Assert.True(code == 0, stderr);
        string password = stdout.TrimEnd().Split('\n')[^1];
        var store = new UserStore(Path.Combine(data, UserStore.FileName));
        Assert.NotNull(store.CheckPassword("alice", password));
        Assert.True(store.Get("alice")!.MustChangePassword);

        (code, stdout, _) = CliRunner.Run("users", "token", "alice", "--days", "7", "--data-dir", data);
        Assert.Equal(0, code);
        string token = stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith(UserStore.TokenPrefix, token, StringComparison.Ordinal);
        UserRecord? user = store.FindByToken(token, DateTime.UtcNow);
        Assert.Equal(Role.Physicist, user?.Role);
        Assert.Null(store.FindByToken(token, DateTime.UtcNow.AddDays(8)));

        (code, stdout, _) = CliRunner.Run("users", "role", "alice", "physician", "--data-dir", data);
        Assert.Equal(0, code);
        Assert.Equal(Role.Physician, store.FindByToken(token, DateTime.UtcNow)?.Role);

        (code, stdout, _) = CliRunner.Run("users", "list", "--data-dir", data);
        Assert.Equal(0, code);
        Assert.Matches(@"alice\s+physician\s+\S+ \S+\s+1\s+one-time", stdout);

        (code, stdout, _) = CliRunner.Run("users", "revoke", "alice", "--data-dir", data);
        Assert.Equal(0, code);
        Assert.Contains("Revoked 1 token(s)", stdout, StringComparison.Ordinal);
        Assert.Null(store.FindByToken(token, DateTime.UtcNow));
    }

    [Theory]
    [InlineData("Unknown role 'nurse'", "users", "add", "bob", "--role", "nurse")]
    [InlineData("User name 'bo b' is not valid", "users", "add", "bo b", "--role", "surgeon")]
    [InlineData("No user 'nobody'", "users", "token", "nobody")]
    [InlineData("a token lasts 1 to 366 days", "users", "token", "carol", "--days", "0")]
    public void Users_BadInput_OneLineAndExit1(string message, params string[] args)
    {
        string data = Path.Combine(CliRunner.TempDir("users-bad"), "data");
        Assert.Equal(0, CliRunner.Run("users", "add", "carol", "--role", "surgeon", "--data-dir", data).ExitCode);
        (int code, _, string stderr) = CliRunner.Run([.. args, "--data-dir", data]);
        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }
}
