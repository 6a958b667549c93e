using MeTAI.Service.Hosting;
using MeTAI.Service.Uploads;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Tests.Uploads;

public class UploadLimiterTests
{
    private static UploadLimiter Limiter(int uploads, long memoryBytes) =>
        new(Options.Create(new ServiceOptions { MaxConcurrentUploads = uploads, MaxUploadMemoryBytes = memoryBytes }));

    [Fact]
    public void Enter_PastTheConcurrentLimit_Answers503_UntilASlotIsFree()
    {
        UploadLimiter limiter = Limiter(2, 1000);
        IDisposable a = limiter.Enter();
        using IDisposable b = limiter.Enter();
        var ex = Assert.Throws<UploadRejectedException>(limiter.Enter);
        Assert.Equal(503, ex.Status);
        Assert.Contains("Service:MaxConcurrentUploads", ex.Message, StringComparison.Ordinal);
        a.Dispose();
        a.Dispose(); // twice frees once
        using IDisposable c = limiter.Enter();
        Assert.Equal(2, limiter.Active);
    }

    [Fact]
    public async Task ReserveMemory_WaitsForRoom_AndRefusesWhatCanNeverFit()
    {
        UploadLimiter limiter = Limiter(3, 1000);
        var tooLarge = await Assert.ThrowsAsync<UploadRejectedException>(() => limiter.ReserveMemoryAsync(501, CancellationToken.None));
        Assert.Equal(413, tooLarge.Status);

        IDisposable first = await limiter.ReserveMemoryAsync(300, CancellationToken.None); // holds 600 of 1000
        Task<IDisposable> second = limiter.ReserveMemoryAsync(300, CancellationToken.None);
        Assert.False(second.IsCompleted);
        Task<IDisposable> small = limiter.ReserveMemoryAsync(100, CancellationToken.None); // fits, but waits its turn
        Assert.False(small.IsCompleted);
        using var cts = new CancellationTokenSource();
        Task<IDisposable> cancelled = limiter.ReserveMemoryAsync(100, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        first.Dispose();
        using IDisposable s2 = await second.WaitAsync(TimeSpan.FromMinutes(1));
        using IDisposable s3 = await small.WaitAsync(TimeSpan.FromMinutes(1));
    }
}
