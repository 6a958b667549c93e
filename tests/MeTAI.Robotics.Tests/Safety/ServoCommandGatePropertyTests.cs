using FsCheck;
using FsCheck.Fluent;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Tests.Safety;

/// <summary>
/// Property: whatever sequence of triggers, interlock changes, resets and write attempts happens, the gate never lets a
/// motion command through while any interlock is active, outside a motion state, or after an EStop/Fault that has not
/// been reset; holds always carry the captured hold position; nothing is written with torque off.
/// </summary>
public class ServoCommandGatePropertyTests
{
    private const int Joints = 3;

    private sealed class RecordingSink : IServoCommandSink
    {
        public int LastMotionWrites;
        public int LastHoldWrites;
        public int[]? LastHold;
        public bool LastWasMotion;
        public int TorqueOffs;

        public void WriteGoals(ReadOnlySpan<int> goalCounts, bool motion, in CommandStamp stamp)
        {
            LastWasMotion = motion;
            if (motion)
            {
                LastMotionWrites++;
            }
            else
            {
                LastHoldWrites++;
                LastHold = goalCounts.ToArray();
            }
        }

        public void TorqueOffNow() => TorqueOffs++;
    }

    // One step of a sequence, decoded from an integer so FsCheck can generate and shrink sequences of them.
    private static string RunSequence(int[] steps)
    {
        var sink = new RecordingSink();
        var supervisor = new SafetySupervisor();
        var gate = new ServoCommandGate(supervisor, sink, Joints);
        var random = new Random(steps.Length == 0 ? 0 : steps[0]);
        SafetyTrigger[] triggers = Enum.GetValues<SafetyTrigger>();
        bool latched = false;
        Interlocks lastUpdate = Interlocks.None;
        int[] measured = [2048, 2048, 2048];
        int[]? expectedHold = null;
        foreach (int step in steps)
        {
            int kind = Math.Abs(step % 5);
            int arg = Math.Abs(step / 5);
            switch (kind)
            {
                case 0:
                    {
                        SafetyTrigger t = triggers[arg % triggers.Length];
                        if (t == SafetyTrigger.Reset)
                        {
                            if (supervisor.RequestReset(acknowledged: arg % 3 != 0))
                            {
                                latched = false;
                            }
                        }
                        else
                        {
                            supervisor.Fire(t);
                        }

                        break;
                    }

                case 1:
                    // Mostly clear, sometimes one or more random bits.
                    lastUpdate = arg % 3 == 0 ? Interlocks.None : (Interlocks)(1u << (arg % 10)) | (arg % 7 == 0 ? (Interlocks)(1u << (arg / 10 % 10)) : 0);
                    supervisor.Update(lastUpdate);
                    break;
                case 2:
                    {
                        measured = [2048 + (arg % 200), 2048 - (arg % 150), 2048 + (arg % 50)];
                        gate.UpdateMeasured(measured);
                        break;
                    }

                default:
                    {
                        Interlocks live = arg % 4 == 0 ? (Interlocks)(1u << (arg / 4 % 10)) : Interlocks.None;
                        int[] goals = [random.Next(0, 4096), random.Next(0, 4096), random.Next(0, 4096)];
                        SafetyState state = supervisor.State;
                        bool wasHolding = gate.IsHolding;
                        int motionBefore = sink.LastMotionWrites, holdBefore = sink.LastHoldWrites;
                        GateDecision d = gate.Submit(goals, live, new CommandStamp(0, 0, 0));
                        bool motionWritten = sink.LastMotionWrites > motionBefore;
                        Interlocks active = live | lastUpdate | supervisor.ActiveInterlocks;
                        if (motionWritten && (active != Interlocks.None || !SafetySupervisor.IsMotionState(state) || latched))
                        {
                            return $"motion let through in {state} with {active}, latched={latched}";
                        }

                        if (!SafetySupervisor.IsTorqueOnState(state) && (motionWritten || sink.LastHoldWrites > holdBefore))
                        {
                            return $"write with torque off in {state}";
                        }

                        if (sink.LastHoldWrites > holdBefore)
                        {
                            if (!wasHolding)
                            {
                                expectedHold = measured;
                            }

                            if (expectedHold is null || !sink.LastHold!.AsSpan().SequenceEqual(expectedHold))
                            {
                                return $"hold wrote {string.Join(",", sink.LastHold!)} instead of the captured hold position";
                            }
                        }

                        if (d == GateDecision.Motion != motionWritten)
                        {
                            return "decision and write disagree";
                        }

                        break;
                    }
            }

            if (supervisor.IsLatched)
            {
                latched = true;
            }
        }

        return "";
    }

    [Fact]
    public void AnySequence_NoMotionWhileInterlockedOrLatched_FsCheck10000()
    {
        // Steps are biased towards the happy path (Enable, PowerReady, Home, …) so that sequences do reach motion
        // states; interlock updates, measurements and write attempts are mixed in. Step = arg·5 + kind.
        SafetyTrigger[] path = [SafetyTrigger.Enable, SafetyTrigger.PowerReady, SafetyTrigger.Home, SafetyTrigger.HomingDone,
            SafetyTrigger.StartTeleop, SafetyTrigger.Aligned, SafetyTrigger.StartTrajectory, SafetyTrigger.Resume, SafetyTrigger.Reset];
        Gen<int> happy = Gen.Elements(path).Select(t => (int)t * 5);
        Gen<int> anyTrigger = Gen.Choose(0, 200).Select(a => a * 5);
        Gen<int> clear = Gen.Constant(1);
        Gen<int> interlock = Gen.Choose(1, 1000).Select(a => a * 5 + 1);
        Gen<int> measure = Gen.Choose(0, 1000).Select(a => a * 5 + 2);
        Gen<int> submit = Gen.Choose(0, 1000).Select(a => a * 5 + 3);
        Gen<int> step = Gen.Frequency((30, happy), (5, anyTrigger), (8, clear), (7, interlock), (10, measure), (40, submit));
        Gen<int[]> steps = Gen.ArrayOf(step);
        Property property = Prop.ForAll(steps.ToArbitrary(), seq => RunSequence(seq) == "");
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(10_000), property);
    }

    [Fact]
    public void SeededSequences_ReachMotion_AndNeverViolate()
    {
        // Biased sequences that do reach motion states (so the property is not vacuous): 10 000 seeds × 200 steps.
        int reachedMotion = 0;
        for (int seed = 0; seed < 10_000; seed++)
        {
            var random = new Random(seed);
            int[] steps = new int[200];
            for (int i = 0; i < steps.Length; i++)
            {
                int kind = random.Next(100) switch { < 35 => 0, < 50 => 1, < 60 => 2, _ => 3 };
                int arg = kind == 0 ? PreferredTrigger(random) : kind == 1 && random.Next(2) == 0 ? 0 : random.Next(0, 1000);
                steps[i] = arg * 5 + kind;
            }

            string failure = RunSequence(steps);
            Assert.True(failure == "", $"seed {seed}: {failure}");
            reachedMotion += ReachesMotion(steps) ? 1 : 0;
        }

        Assert.True(reachedMotion > 1000, $"only {reachedMotion} sequences reached a motion state");
    }

    private static int PreferredTrigger(Random random)
    {
        SafetyTrigger[] path = [SafetyTrigger.Enable, SafetyTrigger.PowerReady, SafetyTrigger.Home, SafetyTrigger.HomingDone,
            SafetyTrigger.StartTeleop, SafetyTrigger.Aligned, SafetyTrigger.StartTrajectory, SafetyTrigger.Resume, SafetyTrigger.Reset];
        return random.Next(4) == 0 ? random.Next(0, 40) : (int)path[random.Next(path.Length)] + Enum.GetValues<SafetyTrigger>().Length * random.Next(0, 3);
    }

    private static bool ReachesMotion(int[] steps)
    {
        var supervisor = new SafetySupervisor();
        SafetyTrigger[] triggers = Enum.GetValues<SafetyTrigger>();
        foreach (int step in steps)
        {
            if (step % 5 == 0)
            {
                int arg = step / 5;
                SafetyTrigger t = triggers[arg % triggers.Length];
                if (t == SafetyTrigger.Reset)
                {
                    supervisor.RequestReset(arg % 3 != 0);
                }
                else
                {
                    supervisor.Fire(t);
                }
            }
            else if (step % 5 == 1)
            {
                int arg = step / 5;
                supervisor.Update(arg % 3 == 0 ? Interlocks.None : (Interlocks)(1u << (arg % 10)));
            }

            if (SafetySupervisor.IsMotionState(supervisor.State))
            {
                return true;
            }
        }

        return false;
    }
}
