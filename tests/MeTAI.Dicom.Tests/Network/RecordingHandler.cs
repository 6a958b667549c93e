using System.Collections.Concurrent;
using MeTAI.Dicom.Network;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>An SCP handler that stores into one folder and records every event, for assertions.</summary>
internal sealed class RecordingHandler(string root) : IStorageScpHandler
{
    public DicomStorageFolder Folder { get; } = new(root);

    public ConcurrentQueue<string> Refusals { get; } = new();

    public ConcurrentQueue<ReceivedObject> Stored { get; } = new();

    public ConcurrentQueue<(ushort Status, string Reason)> RefusedObjects { get; } = new();

    public ConcurrentQueue<AssociationOutcome> Ended { get; } = new();

    public ConcurrentQueue<AssociationInfo> Accepted { get; } = new();

    public int Echoes => _echoes;

    private int _echoes;

    public DicomStorageFolder FolderFor(AssociationInfo association) => Folder;

    public void AssociationRefused(string callingAeTitle, string remoteAddress, string reason) => Refusals.Enqueue($"{callingAeTitle}: {reason}");

    public void AssociationAccepted(AssociationInfo association) => Accepted.Enqueue(association);

    public void Echoed(AssociationInfo association) => Interlocked.Increment(ref _echoes);

    public void ObjectStored(AssociationInfo association, ReceivedObject stored) => Stored.Enqueue(stored);

    public void ObjectRefused(AssociationInfo association, string sopInstanceUid, ushort status, string reason) => RefusedObjects.Enqueue((status, reason));

    public void AssociationEnded(AssociationInfo association, AssociationOutcome outcome) => Ended.Enqueue(outcome);

    /// <summary>Waits (up to 60 s) until <paramref name="count"/> associations have ended or been refused.</summary>
    public void WaitForEnded(int count)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (Ended.Count + Refusals.Count < count && DateTime.UtcNow < until)
        {
            Thread.Sleep(20);
        }

        Assert.True(Ended.Count + Refusals.Count >= count, $"{count} association(s) did not end: {Ended.Count} ended, {Refusals.Count} refused");
    }

    /// <summary>Every file under the folder except the (empty) spool folder.</summary>
    public IReadOnlyList<string> Files() =>
        [.. Directory.EnumerateFiles(Folder.Root, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(Folder.SpoolDirectory, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>Every file in the spool folder (should be none once associations are over).</summary>
    public IReadOnlyList<string> SpoolFiles() => [.. Directory.EnumerateFiles(Folder.SpoolDirectory)];
}
