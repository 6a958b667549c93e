using System.CommandLine;
using MeTAI.Robotics.Audit;

namespace MeTAI.Cli.Commands.Controller;

/// <summary><c>metai audit verify FILE</c>: checks the hash chain of a controller audit log.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Audit log (JSON lines)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var verify = new Command("verify", "Check that no record of an audit log was edited, deleted, inserted or reordered.") { file, json };
        verify.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
            {
                string path = parse.GetValue(file)!;
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"{path}: no such file");
                }

                AuditVerification v = AuditVerifier.Verify(path);
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(v));
                }
                else if (v.IsValid)
                {
                    stdout.WriteLine($"{path}: OK, {v.Records} records, chain intact{(v.Closed ? ", closed cleanly" : ", no close record (still open, or its tail was cut)")}");
                }
                else
                {
                    stdout.WriteLine($"{path}: TAMPERED at line {v.FirstBadLine}: {v.Problem}");
                }

                return v.IsValid ? 0 : 1;
            });
        });

        return new Command("audit", "Controller audit logs.") { verify };
    }
}
