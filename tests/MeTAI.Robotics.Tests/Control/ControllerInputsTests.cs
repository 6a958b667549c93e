using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;

namespace MeTAI.Robotics.Tests.Control;

public class ControllerInputsTests
{
    [Fact]
    public void TryReadMaster_NothingPublished_False()
    {
        Assert.False(new ControllerInputs().TryReadMaster(out MasterSample sample));
        Assert.Equal(default, sample);
    }

    [Fact]
    public void TryReadMaster_WhileAnotherThreadPublishes_NeverSeesATornSample()
    {
        // Every field of a published sample derives from its sequence number: a torn read would mix two samples.
        static MasterSample Sample(long n) => new(new Pose(new Vec3(n, -n, 2 * n), Quat.Identity), n % 2 == 0, n % 3 == 0, n, 7 * n);
        var inputs = new ControllerInputs();
        bool stop = false;
        var writer = new Thread(() =>
        {
            for (long n = 1; !Volatile.Read(ref stop); n++)
            {
                inputs.PublishMaster(Sample(n));
            }
        });
        writer.Start();
        long reads = 0, lastSequence = 0;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 300 || reads < 1000)
            {
                if (inputs.TryReadMaster(out MasterSample s))
                {
                    Assert.Equal(Sample(s.Sequence), s);
                    Assert.True(s.Sequence >= lastSequence);
                    lastSequence = s.Sequence;
                    reads++;
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            writer.Join();
        }

        Assert.True(lastSequence > 0);
    }

    [Fact]
    public void TryReadMaster_AllocatesNothing()
    {
        var inputs = new ControllerInputs();
        inputs.PublishMaster(new MasterSample(Pose.Identity, false, true, 1, 1));
        inputs.TryReadMaster(out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            inputs.PublishMaster(new MasterSample(Pose.Identity, false, true, i, i));
            inputs.TryReadMaster(out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void PublishMaster_DuplicateOrOlderSequence_IsDroppedAndDoesNotRefreshThePoseAge()
    {
        var inputs = new ControllerInputs();
        inputs.PublishMaster(new MasterSample(Pose.Identity, false, true, 5, 0), 100);
        inputs.PublishMaster(new MasterSample(Pose.Identity, false, false, 5, 0), 200);
        inputs.PublishMaster(new MasterSample(Pose.Identity, false, false, 4, 0), 300);
        Assert.Equal(100, inputs.LastPoseTicks);
        Assert.Equal(2, inputs.PosesRejected);
        Assert.True(inputs.TryReadMaster(out MasterSample s) && s.Sequence == 5 && s.OperatorPresent);
        inputs.PublishMaster(new MasterSample(Pose.Identity, false, true, 6, 0), 400);
        Assert.Equal(400, inputs.LastPoseTicks);
    }

    [Fact]
    public void PublishMaster_SequenceFarBehind_IsARestartedMasterAndIsTaken()
    {
        var inputs = new ControllerInputs();
        inputs.PublishMaster(new MasterSample(Pose.Identity, false, true, ControllerInputs.SequenceRestartWindow + 50, 0), 100);
        inputs.PublishMaster(new MasterSample(Pose.Identity, false, true, 1, 0), 200);
        Assert.Equal(200, inputs.LastPoseTicks);
        Assert.True(inputs.TryReadMaster(out MasterSample s) && s.Sequence == 1);
    }
}
