namespace MeTAI.Robotics.Control;

/// <summary>Control-loop and interlock settings (dVRK defaults where they exist); validated once.</summary>
public sealed class ControllerOptions
{
    /// <summary>Loop rate in Hz (default 1 kHz).</summary>
    public double RateHz { get; set; } = 1000;

    /// <summary>Haptic heartbeat watchdog (dVRK 30 ms).</summary>
    public double HeartbeatWatchdogMs { get; set; } = 30;

    /// <summary>
    /// Master pose watchdog (ms): a hold when no pose with a newer sequence number has arrived for this long, whatever
    /// the heartbeat says (the master may keep its heartbeat while its pose stream has died). Same bound as the heartbeat.
    /// </summary>
    public double PoseWatchdogMs { get; set; } = 30;

    /// <summary>
    /// E-stop device watchdog (ms): no state with a newer sequence number from the e-stop device for this long latches
    /// EStop (torque off); until its first, power-up is refused. The device heartbeats every 50 ms, so this is five
    /// missed heartbeats; docs/safety.md ("The e-stop device's heartbeat") gives the reasons for 250 ms.
    /// </summary>
    public double EStopWatchdogMs { get; set; } = 250;

    /// <summary>Servo feedback older than this is a servo-bus fault.</summary>
    public double ServoTimeoutMs { get; set; } = 40;

    /// <summary>Margin beyond the joint limits before a position-limit fault (rad).</summary>
    public double JointLimitMarginRad { get; set; } = 0.05;

    /// <summary>Added to 1.5 × the velocity limit before a velocity-limit fault (rad/s).</summary>
    public double VelocityMarginRadS { get; set; } = 0.3;

    /// <summary>Window over which measured joint speed is estimated (ms); long enough that one count of noise is small.</summary>
    public double VelocityWindowMs { get; set; } = 20;

    /// <summary>How far before a reading's request the goal may lie that the reading is compared with (servo response time).</summary>
    public double TrackingLagMs { get; set; } = 50;

    /// <summary>
    /// While latched in Fault or EStop, the loop asks for torque off again this often (ms), like the first time: each
    /// request preempts the IO thread's transaction at the wire's first quiet moment, so a servo that missed it (a cut
    /// cable, a reboot) hears it soon after it hears the bus again, however long a read waits on a silent servo.
    /// </summary>
    public double LatchedTorqueOffRepeatMs { get; set; } = 20;

    /// <summary>Before each deadline the loop sleeps until this many µs remain, then spins.</summary>
    public double SpinMarginUs { get; set; } = 200;

    /// <summary>Try SCHED_FIFO for the loop thread (needs CAP_SYS_NICE; falls back silently).</summary>
    public bool UseRealtimeScheduling { get; set; }

    /// <summary>
    /// The process's gen0 budget in bytes (<c>DOTNET_GCgen0size</c>), or null (off). When set, the loop runs the gen0
    /// collections itself: right after a step, once half the budget has been allocated since the last collection and
    /// at least <see cref="GcSlotMinimumUs"/> remain before the next deadline, so a collection pauses the other
    /// threads while the loop has nothing to do, instead of stopping the loop at a random point of its cycle.
    /// Allocation-free (<c>GC.GetTotalAllocatedBytes(false)</c>, <c>GC.Collect(0)</c>).
    /// </summary>
    public long? GcSlotBudgetBytes { get; set; }

    /// <summary>Time (µs) that must remain before the next deadline for the loop to run a collection.</summary>
    public double GcSlotMinimumUs { get; set; } = 700;

    /// <summary>Operator commands applied per cycle at most.</summary>
    public int CommandsPerCycle { get; set; } = 4;

    /// <summary>IK iterations per cycle while following (warm-started from the last solution).</summary>
    public int IkIterationsPerCycle { get; set; } = 4;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (!(RateHz >= 10 && RateHz <= 10_000) || !(HeartbeatWatchdogMs > 0) || !(PoseWatchdogMs > 0) || !(EStopWatchdogMs > 0) || !(ServoTimeoutMs > 0) || !(JointLimitMarginRad >= 0)
            || !(VelocityMarginRadS >= 0) || !(VelocityWindowMs > 0) || !(TrackingLagMs >= 0) || !(SpinMarginUs >= 0) || !(LatchedTorqueOffRepeatMs > 0) || CommandsPerCycle < 1 || IkIterationsPerCycle < 1
            || GcSlotBudgetBytes is <= 0 || !(GcSlotMinimumUs >= 0))
        {
            throw new ArgumentException("ControllerOptions: a value is out of range (rate 10…10 000 Hz; times, margins positive).");
        }
    }

    /// <summary>Loop period in seconds.</summary>
    public double PeriodS => 1.0 / RateHz;
}
