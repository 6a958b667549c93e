using MeTAI.Core.Geometry;
using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Traces;

/// <summary>One sample of the rig (about 1 kHz): the controller's outputs and the twins' ground truth.</summary>
/// <param name="Ticks">Stopwatch ticks.</param>
/// <param name="Cycle">Controller cycle.</param>
/// <param name="State">Controller state.</param>
/// <param name="Interlocks">Active interlocks.</param>
/// <param name="CommandRad">Commanded joints.</param>
/// <param name="MeasuredRad">Joints as the controller measured them.</param>
/// <param name="TrueRad">Joints as the servo twins actually are (no encoder noise).</param>
/// <param name="ToolTrueM">Tool position from the true joints (robot base, m).</param>
/// <param name="MasterM">Master stylus position (master frame, m).</param>
/// <param name="PatientMm">Patient target displacement the patient twin publishes (LPS mm).</param>
/// <param name="BeamOn">The linac's beam is on.</param>
/// <param name="Resyncs">The loop's schedule re-bases so far (machine stalls).</param>
/// <param name="TorqueMask">Bit i set: servo i has torque on (twin's control table).</param>
public sealed record TraceSample(long Ticks, long Cycle, SafetyState State, Interlocks Interlocks, double[] CommandRad, double[] MeasuredRad,
    double[] TrueRad, Vec3 ToolTrueM, Vec3 MasterM, Vec3 PatientMm, bool BeamOn, long Resyncs, int TorqueMask);
