using MeTAI.Core.IO;

namespace MeTAI.Core.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metai-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriteAllText_NewFolder_WritesUtf8WithoutBomAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "sub", "a.json");
        AtomicFile.WriteAllText(path, "{\"dose\": \"μGy\"}");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal("{\"dose\": \"μGy\"}", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(Path.Combine(_dir, "sub")).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_WriterFails_OldFileStaysWholeAndNoTemporaryFileIsLeft()
    {
        string path = Path.Combine(_dir, "plan.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write([9, 9, 9, 9]);
            throw new IOException("disk full");
        }));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void WriteVia_WriterNeedingAFileName_GetsATemporaryNameWithTheTargetsExtension()
    {
        string path = Path.Combine(_dir, "plot.png");
        string? seen = null;
        AtomicFile.WriteVia(path, temp =>
        {
            seen = temp;
            File.WriteAllText(temp, "png");
        });
        Assert.EndsWith(".png", seen, StringComparison.Ordinal);
        Assert.NotEqual(path, seen);
        Assert.Equal("png", File.ReadAllText(path));
        Assert.False(File.Exists(seen));
    }

    [Fact]
    public void WriteAllText_ExistingFile_IsReplaced()
    {
        string path = Path.Combine(_dir, "report.md");
        File.WriteAllText(path, "old, and longer than the new text");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
    }
}
