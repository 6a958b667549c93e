namespace MeTAI.Hil.Scenarios;

/// <summary>Faults a scenario can schedule (docs/hil.md lists each one's parameters).</summary>
public enum FaultKind
{
    /// <summary>MQTT latency and jitter through the proxy (latencyMs, jitterMs, client, topic, direction).</summary>
    MqttLatency,

    /// <summary>Loss of QoS 0 PUBLISH packets (probability, client, topic, direction).</summary>
    MqttLoss,

    /// <summary>Duplicated QoS 0 PUBLISH packets (probability, client, topic, direction).</summary>
    MqttDuplicate,

    /// <summary>The embedded broker stops for the fault's duration, then starts again on the same port.</summary>
    BrokerRestart,

    /// <summary>The proxy cuts the client's connection (client); it reconnects by itself.</summary>
    ClientDisconnect,

    /// <summary>One bit flipped inside each of the next `count` servo replies (each fails its CRC).</summary>
    SerialCorrupt,

    /// <summary>Every byte the servos send is corrupted for the duration.</summary>
    SerialCorruptStorm,

    /// <summary>The next `count` bytes the servos send are lost.</summary>
    SerialDrop,

    /// <summary>Every servo reply leaves `delayMs` late for the duration.</summary>
    SerialDelay,

    /// <summary>One servo (joint) stops answering for the duration; it still obeys what it hears.</summary>
    ServoSilent,

    /// <summary>
    /// Servo feedback goes stale while commands still land: the chain obeys every write (goals, torque) but answers no
    /// read for the duration (a servo's transmit line broken). The arm moves blind unless the controller notices.
    /// </summary>
    ServoFeedbackStale,

    /// <summary>The whole chain stops answering and listening for the duration (a cut cable).</summary>
    BusSilent,

    /// <summary>A joint jams for the duration (goals accepted, position frozen).</summary>
    StuckJoint,

    /// <summary>Encoder noise of ±`counts` on a joint (or all) for the duration.</summary>
    EncoderNoise,

    /// <summary>A servo latches the Overload hardware error (torque drops); cleared at the end of the duration.</summary>
    Overload,

    /// <summary>The haptic master stops its heartbeat for the duration.</summary>
    HeartbeatStop,

    /// <summary>The haptic master stops sending poses for the duration.</summary>
    PosesStop,

    /// <summary>The operator releases the deadman for the duration.</summary>
    DeadmanRelease,

    /// <summary>The e-stop button is pressed (released at the end of the duration, if any).</summary>
    EStopPress,

    /// <summary>The e-stop button sends a malformed payload (the controller must read it as pressed).</summary>
    EStopMalformed,

    /// <summary>The patient's target jumps by `mm` for the duration.</summary>
    PatientSpike,

    /// <summary>The patient-motion source goes silent for the duration.</summary>
    PatientMonitorStop,

    /// <summary>The linac stops reporting its status for the duration.</summary>
    LinacStatusStop,

    /// <summary>
    /// A rogue talker on the servo wire for the duration: another device transmits at random times for `probability` of
    /// the time (1: it never stops), without waiting for the wire; every reply it meets arrives garbled, every instruction
    /// it meets reaches no servo (a collision on the half-duplex bus).
    /// </summary>
    BusCollision,

    /// <summary>
    /// One servo (`joint`), or the whole chain (no joint), switches to another baud rate for the duration: it understands
    /// nothing the controller sends and its answers arrive as garbage.
    /// </summary>
    BaudMismatch,

    /// <summary>
    /// The e-stop device stops publishing (hung or crashed) for the duration (none: to the end of the run): no state, no
    /// heartbeat, presses lost. The controller's e-stop watchdog (250 ms) must latch EStop.
    /// </summary>
    EStopDeviceSilent,

    /// <summary>
    /// The wired e-stop loop in series with the power relay opens for the duration (none: to the end of the run) — its
    /// cable cut: servo power off at once (category 0), and the controller latches EStop from the board's read-back.
    /// </summary>
    EStopCableCut,

    /// <summary>
    /// The control loop thread stalls for the duration (a real stall of the controller, driven by its test hook): the servo
    /// IO thread sees no new goal and stops feeding the power relay, which cuts servo power within T_relay; once the loop
    /// runs again it finds power off by read-back and faults (ServoPower).
    /// </summary>
    RelayFeedStopped,

    /// <summary>
    /// The power relay's contacts weld shut for the duration (none: to the end of the run): power stays on whatever the
    /// coil does. Invisible while the controller feeds the relay; at the next stop the board reports a trip while power
    /// reads on, and the controller latches Fault (ServoPower, stuck closed) and refuses every power-up.
    /// </summary>
    RelayStuckClosed,
}
