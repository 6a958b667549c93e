namespace MeTAI.Robotics.Transport;

/// <summary>
/// The topic scheme (docs/mqtt-topics.md): everything of one arm lives under <c>metai/v1/{robot}/</c>.
/// High-rate data (master poses, heartbeats, force) is compact binary; commands and status are JSON.
/// </summary>
public sealed class MqttTopics
{
    /// <summary>Creates the topics of <paramref name="robot"/>.</summary>
    public MqttTopics(string robot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(robot);
        if (robot.AsSpan().IndexOfAny("/+#") >= 0)
        {
            throw new ArgumentException("A robot name must not contain '/', '+' or '#'.", nameof(robot));
        }

        Robot = robot;
        Root = $"metai/v1/{robot}";
    }

    /// <summary>Robot name.</summary>
    public string Robot { get; }

    /// <summary><c>metai/v1/{robot}</c>.</summary>
    public string Root { get; }

    /// <summary>JSON operator commands (operator → controller).</summary>
    public string Command => Root + "/cmd";

    /// <summary>JSON command results (controller → operators).</summary>
    public string CommandResult => Root + "/cmd/result";

    /// <summary>JSON state, retained (controller → all).</summary>
    public string State => Root + "/state";

    /// <summary>JSON telemetry at 10 Hz: joints, tool, loop statistics (controller → all).</summary>
    public string Telemetry => Root + "/telemetry";

    /// <summary>JSON interlock edges (controller → all).</summary>
    public string Interlocks => Root + "/interlocks";

    /// <summary>Binary e-stop state (e-stop devices, masters, operators → controller).</summary>
    public string EStop => Root + "/estop";

    /// <summary>
    /// Binary e-stop state of the e-stop device itself, published on change and every 50 ms as its heartbeat (e-stop
    /// button accounts only → controller). Silence beyond the controller's e-stop watchdog latches EStop.
    /// </summary>
    public string EStopDevice => Root + "/estop/device";

    /// <summary>Binary controller heartbeat (controller → masters).</summary>
    public string ControllerHeartbeat => Root + "/controller/heartbeat";

    /// <summary>Servo command topics (only the controller may publish here).</summary>
    public string ServoPrefix => Root + "/servo";

    /// <summary>Binary goal-position mirror at 100 Hz (controller → monitors).</summary>
    public string ServoGoal => Root + "/servo/goal";

    /// <summary>JSON beam permit (controller → linac), on change and at 20 Hz.</summary>
    public string BeamGate => Root + "/beam/gate";

    /// <summary>JSON linac status: beam on/off, requested beam, acknowledged gate sequence (linac → controller).</summary>
    public string BeamState => Root + "/beam/state";

    /// <summary>JSON patient target displacement (patient-motion source → controller).</summary>
    public string PatientMotion => Root + "/patient/motion";

    /// <summary>
    /// JSON <c>{"master","user"}</c>, retained: who holds control of a token master (operator, i.e. the service → the
    /// broker, which admits only that user's console tokens for it; <see cref="TeleopHolderMessage"/>).
    /// </summary>
    public string TeleopHolder => Root + "/teleop/holder";

    /// <summary>Binary master pose + buttons (master → controller).</summary>
    public string MasterPose(string masterId) => $"{Root}/master/{masterId}/pose";

    /// <summary>Binary master heartbeat (master → controller).</summary>
    public string MasterHeartbeat(string masterId) => $"{Root}/master/{masterId}/heartbeat";

    /// <summary>Binary force feedback (controller → master).</summary>
    public string MasterForce(string masterId) => $"{Root}/master/{masterId}/force";
}
