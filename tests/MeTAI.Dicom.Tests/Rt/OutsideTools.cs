namespace MeTAI.Dicom.Tests.Rt;

/// <summary>Runs the outside validators test.sh installs: dcmtk's dcmdump, dicom3tools' dciodvfy, Debian's python3 with pydicom and dicompyler-core.</summary>
internal static class OutsideTools
{
    public const string Dcmdump = "/usr/bin/dcmdump";
    public const string Dciodvfy = "/usr/bin/dciodvfy";

    public static (int ExitCode, string Stdout, string Stderr) Run(string program, params string[] arguments)
    {
        ProcessOutput r = MeTAI.TestUtilities.OutsideTools.Run(program, arguments, TimeSpan.FromMinutes(2));
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    public static string? SkipReason(params string[] programs)
    {
        foreach (string program in programs)
        {
            if (!File.Exists(program))
            {
                return $"{program} is not installed (test.sh installs dcmtk and dicom3tools)";
            }
        }

        return null;
    }

    public static string? DicompylerSkipReason()
    {
        if (Pydicom.SkipReason is { } reason)
        {
            return reason;
        }

        (int code, _, _) = Run(Pydicom.Python, "-c", "import dicompylercore");
        return code == 0 ? null : $"{Pydicom.Python} has no dicompylercore (test.sh installs python3-dicompylercore)";
    }
}

/// <summary>A fact skipped, with the reason, when dcmdump or dciodvfy is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DicomToolsFactAttribute : FactAttribute
{
    public DicomToolsFactAttribute()
    {
        if (OutsideTools.SkipReason(OutsideTools.Dcmdump, OutsideTools.Dciodvfy) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact skipped, with the reason, when dicompyler-core is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DicompylerFactAttribute : FactAttribute
{
    public DicompylerFactAttribute()
    {
        if (OutsideTools.DicompylerSkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
