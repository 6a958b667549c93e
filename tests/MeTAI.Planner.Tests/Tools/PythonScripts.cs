using System.Text.Json;

namespace MeTAI.Planner.Tests.Tools;

/// <summary>The Python scripts in <c>Tools/</c>, run with Debian's python3 (pydicom, dicompyler-core) as outside references.</summary>
internal static class PythonScripts
{
    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Tools", name);

    public static List<JsonElement> PythonJsonLines(string script, params string[] arguments)
    {
        (int code, string output) = OutsideTools.Run(OutsideTools.Python, [Script(script), .. arguments]);
        Assert.True(code == 0, $"{script} failed: {output}");
        var list = new List<JsonElement>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('{'))
            {
                using JsonDocument doc = JsonDocument.Parse(line);
                list.Add(doc.RootElement.Clone());
            }
        }

        return list;
    }
}
