using System.CommandLine;
using System.Globalization;
using MeTAI.Service.Hosting;
using MeTAI.Service.Users;

namespace MeTAI.Cli.Commands;

/// <summary>
/// <c>metai users add NAME --role ROLE | token NAME [--days N] | list | revoke NAME | role NAME ROLE [--data-dir DIR]</c>:
/// the service's users and personal API tokens, in <c>DATA/users.db</c> (docs/service.md). Works while the service
/// runs: a revocation or role change holds at its next request.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "Users and personal API tokens of the service (metai serve).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Token());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        command.Subcommands.Add(SetRole());
        return command;
    }

    private static Option<string?> DataDir() => new("--data-dir") { Description = "The service's data directory (default out/service-data)" };

    private static UserStore Store(string? dataDir)
    {
        FilePermissions.OwnerOnlyFromNowOn();
        string dir = Path.GetFullPath(dataDir ?? new ServiceOptions().DataDirectory);
        Directory.CreateDirectory(dir);
        FilePermissions.Restrict(dir);
        return new UserStore(Path.Combine(dir, UserStore.FileName));
    }

    private static string Roles => string.Join(", ", Enum.GetValues<Role>().Select(Permissions.Name));

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "Sign-in name (letters, digits, . _ - @)" };
        var role = new Option<string>("--role") { Description = "Role: " + Roles, Required = true };
        var dataDir = DataDir();
        var add = new Command("add", "Create a user; prints a one-time password, to be changed at the first sign-in.") { name, role, dataDir };
        add.SetAction(parse => CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
        {
            TextWriter o = parse.InvocationConfiguration.Output;
            Role r = Permissions.ParseRole(parse.GetValue(role)!);
            string n = parse.GetValue(name)!;
            string password = Store(parse.GetValue(dataDir)).Add(n, r);
            o.WriteLine($"Created user {n} (role {Permissions.Name(r)}). One-time password (shown once; change it at the first sign-in):");
            o.WriteLine(password);
            return 0;
        }));
        return add;
    }

    private static Command Token()
    {
        var name = new Argument<string>("name") { Description = "The user" };
        var days = new Option<int>("--days") { Description = "Days the token is valid (1–366)", DefaultValueFactory = _ => 90 };
        var dataDir = DataDir();
        var token = new Command("token", "Issue a personal API token; prints it on the last line (shown once).") { name, days, dataDir };
        token.SetAction(parse => CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
        {
            TextWriter o = parse.InvocationConfiguration.Output;
            UserStore store = Store(parse.GetValue(dataDir));
            string n = parse.GetValue(name)!;
            (string t, TokenRecord record) = store.IssueToken(n, parse.GetValue(days));
            o.WriteLine($"Token {record.Id} for {n} (role {Permissions.Name(store.Get(n)!.Role)}), expires {record.ExpiresUtc:yyyy-MM-dd HH:mm} UTC. Send it as 'Authorization: Bearer TOKEN' (or X-Api-Key); shown once:");
            o.WriteLine(t);
            return 0;
        }));
        return token;
    }

    private static Command List()
    {
        var dataDir = DataDir();
        var list = new Command("list", "List users, their roles and active tokens.") { dataDir };
        list.SetAction(parse => CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
        {
            TextWriter o = parse.InvocationConfiguration.Output;
            UserStore store = Store(parse.GetValue(dataDir));
            DateTime now = DateTime.UtcNow;
            o.WriteLine($"{"name",-24} {"role",-12} {"created (UTC)",-17} {"tokens",6}  password");
            foreach (UserRecord u in store.List())
            {
                int active = store.Tokens(u.Name).Count(t => t.RevokedUtc is null && t.ExpiresUtc > now);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{u.Name,-24} {Permissions.Name(u.Role),-12} {u.CreatedUtc:yyyy-MM-dd HH:mm} {active,6}  {(u.MustChangePassword ? "one-time (not yet changed)" : "set")}"));
            }

            return 0;
        }));
        return list;
    }

    private static Command Revoke()
    {
        var name = new Argument<string>("name") { Description = "The user" };
        var dataDir = DataDir();
        var revoke = new Command("revoke", "Revoke all of a user's tokens and end their web sessions (at once, no restart).") { name, dataDir };
        revoke.SetAction(parse => CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
        {
            string n = parse.GetValue(name)!;
            int count = Store(parse.GetValue(dataDir)).Revoke(n);
            parse.InvocationConfiguration.Output.WriteLine($"Revoked {count} token(s) of {n} and ended their sessions.");
            return 0;
        }));
        return revoke;
    }

    private static Command SetRole()
    {
        var name = new Argument<string>("name") { Description = "The user" };
        var role = new Argument<string>("role") { Description = "New role: " + Roles };
        var dataDir = DataDir();
        var command = new Command("role", "Change a user's role (their sessions end; their tokens carry the new role at once).") { name, role, dataDir };
        command.SetAction(parse => CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
        {
            string n = parse.GetValue(name)!;
            Role r = Permissions.ParseRole(parse.GetValue(role)!);
            Store(parse.GetValue(dataDir)).SetRole(n, r);
            parse.InvocationConfiguration.Output.WriteLine($"{n} is now {Permissions.Name(r)}.");
            return 0;
        }));
        return command;
    }
}
