using System.Net;
using MeTAI.Dicom.Network;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>Our storage SCP on a free loopback port, storing into a temporary folder; stopped on dispose.</summary>
internal sealed class ScpHost : IAsyncDisposable, IDisposable
{
    public const string AeTitle = "METAI-TEST";

    private readonly StorageScp _scp;

    public ScpHost(Func<StorageScpOptions, StorageScpOptions>? configure = null, string name = "scp")
    {
        Root = NetworkTestData.TempDir(name);
        Handler = new RecordingHandler(Root);
        var options = new StorageScpOptions { AeTitle = AeTitle, BindAddress = IPAddress.Loopback };
        _scp = new StorageScp(configure?.Invoke(options) ?? options, Handler);
        _scp.Start();
    }

    public string Root { get; }

    public RecordingHandler Handler { get; }

    public int Port => _scp.Port;

    public DicomPeer Peer => new(AeTitle, "127.0.0.1", Port);

    /// <summary>True once no association is open (within 60 s).</summary>
    public Task<bool> WaitUntilIdleAsync() => _scp.WaitUntilIdleAsync(TimeSpan.FromSeconds(60));

    public ValueTask DisposeAsync() => _scp.DisposeAsync();

    public void Dispose() => _scp.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
