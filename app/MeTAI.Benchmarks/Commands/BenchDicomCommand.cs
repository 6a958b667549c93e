using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MeTAI.Benchmarks.Dicom;
using MeTAI.Cli.Commands;

namespace MeTAI.Benchmarks.Commands;

/// <summary>
/// <c>metai bench dicom [--slices 200] [--size 512] [--runs 10] [--dir DIR] [--pydicom] [--json]</c>: writes a
/// synthetic CT series and reads it back (files → datasets → pixel arrays), best of N runs, in MB/s; with
/// <c>--pydicom</c> the same series is read by pydicom on the same machine for comparison.
/// </summary>
internal static class BenchDicomCommand
{
    public static Command Create()
    {
        var slices = new Option<int>("--slices") { Description = "Number of slices", DefaultValueFactory = _ => 200 };
        var size = new Option<int>("--size") { Description = "Rows and columns per slice", DefaultValueFactory = _ => 512 };
        var runs = new Option<int>("--runs") { Description = "Timed runs (best counts)", DefaultValueFactory = _ => 10 };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Where to write the series (default: a temporary directory, removed afterwards)" };
        var pydicom = new Option<bool>("--pydicom") { Description = "Also read the series with pydicom (/usr/bin/python3) and report its MB/s" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("dicom", "Read a generated 16-bit CT series and report MB/s.") { slices, size, runs, dir, pydicom, json };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                DirectoryInfo? chosen = parse.GetValue(dir);
                string path = chosen?.FullName ?? Path.Combine(Path.GetTempPath(), "metai-bench-dicom-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                try
                {
                    DicomBenchmarkResult ours = DicomBenchmark.Run(path, parse.GetValue(slices), parse.GetValue(size), parse.GetValue(runs));
                    double? theirs = parse.GetValue(pydicom) ? RunPydicom(path, parse.GetValue(runs), stderr) : null;
                    if (parse.GetValue(json))
                    {
                        stdout.WriteLine(CliJson.Serialize(new
                        {
                            ours.Files,
                            ours.Bytes,
                            ours.Seconds,
                            ours.MbPerSecond,
                            ours.Runs,
                            PydicomMbPerSecond = theirs,
                            SpeedupOverPydicom = theirs is > 0 ? ours.MbPerSecond / theirs : null,
                            Processors = Environment.ProcessorCount,
                        }));
                    }
                    else
                    {
                        stdout.WriteLine($"metai:   {ours}");
                        if (theirs is { } t)
                        {
                            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pydicom: {t:F0} MB/s (best of {parse.GetValue(runs)}); metai is {ours.MbPerSecond / t:F1}× faster"));
                        }
                    }

                    return 0;
                }
                finally
                {
                    if (chosen is null && Directory.Exists(path))
                    {
                        Directory.Delete(path, recursive: true);
                    }
                }
            });
        });
        return command;
    }

    private static double? RunPydicom(string dir, int runs, TextWriter stderr)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "tools", "bench-pydicom-dicom.py");
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(dir);
        psi.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start /usr/bin/python3.");
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            stderr.WriteLine($"metai: pydicom benchmark failed: {error.Trim()}");
            return null;
        }

        // The script prints "... N MB/s ..."; take the number before "MB/s".
        string[] words = output.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        for (int i = 1; i < words.Length; i++)
        {
            if (words[i].StartsWith("MB/s", StringComparison.Ordinal) && double.TryParse(words[i - 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                return v;
            }
        }

        stderr.WriteLine($"metai: could not read the pydicom benchmark output: {output.Trim()}");
        return null;
    }
}
