using System.Globalization;
using System.Xml.Linq;
using MeTAI.Core.IO;
using MeTAI.Hil.Runner;

namespace MeTAI.Hil.Reports;

/// <summary>
/// JUnit XML as Jenkins and GitLab read it: one <c>testsuite</c> per scenario, one <c>testcase</c> per assertion (a
/// <c>failure</c> element when it broke), and an <c>error</c> test case when the run could not complete.
/// </summary>
public static class JUnitWriter
{
    /// <summary>Writes <paramref name="results"/> to <paramref name="path"/>.</summary>
    public static void Write(IReadOnlyList<ScenarioResult> results, string path)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var inv = CultureInfo.InvariantCulture;
        var suites = new XElement("testsuites",
            new XAttribute("name", "metai hil"),
            new XAttribute("tests", results.Sum(r => Math.Max(1, r.Assertions.Count))),
            new XAttribute("failures", results.Sum(r => r.Assertions.Count(a => !a.Passed))),
            new XAttribute("errors", results.Count(r => r.Error is not null)),
            new XAttribute("time", results.Sum(r => r.WallSeconds).ToString("F3", inv)));
        foreach (ScenarioResult r in results)
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", "hil." + r.Scenario.Name),
                new XAttribute("tests", Math.Max(1, r.Assertions.Count)),
                new XAttribute("failures", r.Assertions.Count(a => !a.Passed)),
                new XAttribute("errors", r.Error is null ? 0 : 1),
                new XAttribute("skipped", 0),
                new XAttribute("time", r.WallSeconds.ToString("F3", inv)),
                new XAttribute("timestamp", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", inv)),
                new XElement("properties",
                    new XElement("property", new XAttribute("name", "source"), new XAttribute("value", r.Scenario.Source)),
                    new XElement("property", new XAttribute("name", "seed"), new XAttribute("value", r.Scenario.Seed)),
                    new XElement("property", new XAttribute("name", "faultsInjected"), new XAttribute("value", r.FaultsInjected))));
            if (r.Error is not null)
            {
                suite.Add(new XElement("testcase", new XAttribute("name", "run"), new XAttribute("classname", "hil." + r.Scenario.Name),
                    new XElement("error", new XAttribute("message", r.Error), r.Error)));
            }

            foreach (AssertionResult a in r.Assertions)
            {
                var testcase = new XElement("testcase",
                    new XAttribute("name", $"{a.Id}{(a.Safety ? " [safety]" : "")}"),
                    new XAttribute("classname", "hil." + r.Scenario.Name),
                    new XAttribute("time", "0"),
                    new XElement("system-out", $"{a.Claim}\n{a.Detail}"));
                if (!a.Passed)
                {
                    testcase.AddFirst(new XElement("failure", new XAttribute("message", a.Claim), new XAttribute("type", !a.Exercised ? "NotExercised" : a.Safety ? "SafetyViolation" : "AssertionFailed"), a.Detail));
                }

                suite.Add(testcase);
            }

            suites.Add(suite);
        }

        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
        AtomicFile.WriteVia(path, document.Save);
    }
}
