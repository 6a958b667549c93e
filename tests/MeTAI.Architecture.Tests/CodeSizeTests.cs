using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeTAI.Architecture.Tests;

/// <summary>
/// Size limits that keep the code readable (issue 16): no source file over 500 lines except generated ones, and no
/// method over 80 lines in the domain libraries where the physics and the safety rules live (planner/, robotics/,
/// dosimetry/). Sizes are read from the syntax tree, so comments inside a method count and its documentation does not.
/// </summary>
public class CodeSizeTests
{
    private const int MaxFileLines = 500;
    private const int MaxMethodLines = 80;
    private static readonly string[] MethodLimitFolders = ["planner", "robotics", "dosimetry"];

    [Fact]
    public void SourceFiles_AreAtMost500Lines()
    {
        var tooLong = SourceFiles()
            .Where(f => !f.EndsWith(".Generated.cs", StringComparison.Ordinal))
            .Select(f => (File: f, Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > MaxFileLines)
            .Select(f => $"{Relative(f.File)} ({f.Lines} lines)")
            .ToList();
        Assert.True(tooLong.Count == 0, $"Files over {MaxFileLines} lines: " + string.Join(", ", tooLong));
    }

    [Fact]
    public void Methods_InDomainLibraries_AreAtMost80Lines()
    {
        string root = ProjectReferenceTests.RepositoryRoot();
        var tooLong = new List<string>();
        foreach (string folder in MethodLimitFolders)
        {
            foreach (string file in SourceFiles(Path.Combine(root, folder)))
            {
                tooLong.AddRange(LongMembers(file).Select(m => $"{Relative(file)}:{m.Line} {m.Name} ({m.Lines} lines)"));
            }
        }

        Assert.True(tooLong.Count == 0, $"Methods over {MaxMethodLines} lines: " + string.Join(", ", tooLong));
    }

    [Fact]
    public void MethodMeasure_CountsTheBodyNotTheDocumentation()
    {
        // The measure itself must be able to fail: an 81-line method is caught, an 80-line one with a long doc comment is not.
        string Source(int bodyLines) =>
            "class C\n{\n    /// <summary>\n    /// doc\n    /// </summary>\n    void M()\n    {\n" + string.Concat(Enumerable.Repeat("        _ = 1;\n", bodyLines)) + "    }\n}\n";
        Assert.Empty(LongMembers(CSharpSyntaxTree.ParseText(Source(77))));
        (string name, int line, int lines) = Assert.Single(LongMembers(CSharpSyntaxTree.ParseText(Source(78))));
        Assert.Equal("C.M", name);
        Assert.Equal(6, line);
        Assert.Equal(81, lines);
    }

    private static IEnumerable<(string Name, int Line, int Lines)> LongMembers(string file) =>
        LongMembers(CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file));

    private static IEnumerable<(string Name, int Line, int Lines)> LongMembers(SyntaxTree tree)
    {
        foreach (SyntaxNode node in tree.GetRoot().DescendantNodes())
        {
            if (node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax)
            {
                // The span without leading trivia: from the modifiers (or attributes) to the closing brace.
                FileLinePositionSpan span = tree.GetLineSpan(node.Span);
                int lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
                if (lines > MaxMethodLines)
                {
                    yield return (NameOf(node), span.StartLinePosition.Line + 1, lines);
                }
            }
        }
    }

    private static string NameOf(SyntaxNode node)
    {
        string member = node switch
        {
            MethodDeclarationSyntax m => m.Identifier.Text,
            ConstructorDeclarationSyntax c => c.Identifier.Text + ".ctor",
            LocalFunctionStatementSyntax l => l.Identifier.Text,
            AccessorDeclarationSyntax a => (a.Parent?.Parent as BasePropertyDeclarationSyntax) switch
            {
                PropertyDeclarationSyntax p => p.Identifier.Text + "." + a.Keyword.Text,
                _ => a.Keyword.Text,
            },
            _ => node.Kind().ToString(),
        };
        string? type = node.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text;
        return type is null ? member : type + "." + member;
    }

    private static IEnumerable<string> SourceFiles(string? under = null)
    {
        string root = under ?? ProjectReferenceTests.RepositoryRoot();
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    private static string Relative(string file) => Path.GetRelativePath(ProjectReferenceTests.RepositoryRoot(), file);
}
