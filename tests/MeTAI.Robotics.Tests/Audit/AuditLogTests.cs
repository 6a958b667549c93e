using System.Diagnostics;
using MeTAI.Robotics.Audit;

namespace MeTAI.Robotics.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "audit-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public void Dispose() => File.Delete(_path);

    private string[] WriteLog(int events)
    {
        using (var log = new AuditLog(_path))
        {
            for (int i = 0; i < events; i++)
            {
                log.Write(new AuditEvent("transition", i, Stopwatch.GetTimestamp(), [new("from", "Ready"), new("to", "Following"), new("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
            }
        }

        return File.ReadAllLines(_path);
    }

    [Fact]
    public void Verify_Untouched_ValidAndClosed()
    {
        string[] lines = WriteLog(10);
        Assert.Equal(12, lines.Length);
        AuditVerification v = AuditVerifier.Verify(_path);
        Assert.True(v.IsValid, v.Problem);
        Assert.True(v.Closed);
        Assert.Equal(12, v.Records);
    }

    [Fact]
    public void Verify_EditedField_Detected()
    {
        string[] lines = WriteLog(10);
        lines[4] = lines[4].Replace("Following", "Fault", StringComparison.Ordinal);
        File.WriteAllLines(_path, lines);
        AuditVerification v = AuditVerifier.Verify(_path);
        Assert.False(v.IsValid);
        Assert.Equal(6, v.FirstBadLine);
    }

    [Fact]
    public void Verify_DeletedLine_Detected()
    {
        var lines = WriteLog(10).ToList();
        lines.RemoveAt(3);
        File.WriteAllLines(_path, lines);
        AuditVerification v = AuditVerifier.Verify(_path);
        Assert.False(v.IsValid);
        Assert.Equal(4, v.FirstBadLine);
    }

    [Fact]
    public void Verify_SwappedLines_Detected()
    {
        string[] lines = WriteLog(10);
        (lines[5], lines[6]) = (lines[6], lines[5]);
        File.WriteAllLines(_path, lines);
        Assert.False(AuditVerifier.Verify(_path).IsValid);
    }

    [Fact]
    public void Verify_TruncatedTail_ReportedAsNotClosed()
    {
        string[] lines = WriteLog(10);
        File.WriteAllLines(_path, lines[..^2]);
        AuditVerification v = AuditVerifier.Verify(_path);
        Assert.True(v.IsValid);
        Assert.False(v.Closed);
    }

    [Fact]
    public void Reopen_ContinuesTheChain()
    {
        WriteLog(3);
        WriteLog(3);
        AuditVerification v = AuditVerifier.Verify(_path);
        Assert.True(v.IsValid, v.Problem);
        Assert.Equal(10, v.Records);
    }
}
