using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Json;
using MeTAI.Core.Trajectories;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Rehearsal.Search;
using MeTAI.Robotics.Kinematics;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// The 3D scene of a rehearsal (<c>scene.json</c>, served at <c>GET /api/rehearsals/{id}/scene</c>; format in
/// docs/scene.md): the avatar's surfaces per tissue (boundary triangles of each tissue's tets), the target's and the
/// avoided ROIs' voxel surfaces, the candidate trajectories, the chosen path and its corridor, the robot arm at its home
/// pose placed by its patient → robot registration, an axial CT slice through the target, the geometry of the CT volume
/// the page cuts movable slice planes from (<see cref="RehearsalCtVolume"/>), and the isodose surfaces of the plan the
/// rehearsal names (<see cref="RehearsalIsodoses"/>; none without one). Everything in patient
/// LPS millimetres; every object has a unique <c>name</c> the page gives its three.js object. The tissue surfaces name
/// their mesh nodes, so the page can replay the insertion from <see cref="RehearsalReplay"/>'s displacements.
/// </summary>
public static partial class RehearsalScene
{
    /// <summary>Format version written in <c>version</c>.</summary>
    public const int Version = 1;

    /// <summary>Window of the CT slice, HU (soft tissue).</summary>
    public static readonly (double Low, double High) WindowHu = (-160, 240);

    /// <summary>Largest side of the CT slice in pixels (a larger CT is sampled every n-th voxel).</summary>
    public const int MaxSlicePixels = 256;

    private const int MaxPathPoints = 200;

    /// <summary>The scene as JSON text.</summary>
    /// <param name="plan">The rehearsal's result.</param>
    /// <param name="inputs">The case and avatar.</param>
    /// <param name="robot">The robot shown.</param>
    /// <param name="replay">The recorded replay.</param>
    /// <param name="ctVolume">The CT kept for the movable slice planes (<see cref="RehearsalCtVolume"/>).</param>
    /// <param name="dose">The plan whose isodoses are shown (<see cref="RehearsalIsodoses.Build(RehearsalPlanDose?, string)"/>), or (null, []).</param>
    public static string Json(RehearsalPlan plan, RehearsalInputs inputs, RobotModel robot, ReplayInfo replay, CtVolumeInfo ctVolume, (object? Plan, List<object> Isodoses) dose)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(ctVolume);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(robot);
        var surfaces = new List<object>();
        surfaces.AddRange(TissueSurfaces(inputs.Avatar));
        foreach (string roi in new[] { plan.TargetRoi }.Concat(plan.AvoidRois))
        {
            RtRoiMask mask = inputs.Case.Rois.First(r => string.Equals(r.Mask.Name, roi, StringComparison.OrdinalIgnoreCase));
            surfaces.Add(RoiSurface(mask));
        }

        var document = new
        {
            format = "metai-scene",
            version = Version,
            frame = Corridor.PatientLpsMm,
            @case = plan.CaseName,
            target = plan.TargetRoi,
            avoid = plan.AvoidRois,
            targetLps = Point(plan.TargetLps),
            feasible = plan.Feasible,
            surfaces,
            trajectories = plan.Candidates.Select(c => new
            {
                name = "trajectory:" + c.Rank.ToString(CultureInfo.InvariantCulture),
                rank = c.Rank,
                chosen = c.Rank == plan.Chosen.Rank,
                feasible = c.Feasible,
                entryLps = Point(c.Result.EntryLps),
                targetLps = Point(c.Result.TargetLps),
                minClearanceMm = Finite(c.Result.MinClearanceMm),
            }),
            chosenPath = new { name = "chosen-path", pointsLps = PathPoints(plan.Trajectory) },
            corridor = new { name = "corridor", radiusMm = Math.Round(plan.Corridor.RadiusMm, 3), pointsLps = CorridorPoints(plan.Corridor) },
            robot = Robot(robot),
            ctSlice = CtSlice(inputs.Case.CtHu, plan.TargetLps),
            ctVolume,
            plan = dose.Plan,
            isodoses = dose.Isodoses,
            replay = new
            {
                name = "replay",
                file = "replay",
                encoding = "int16le",
                framesPerSecond = RehearsalReplay.FramesPerSecond,
                quantumMm = RehearsalReplay.QuantumMm,
                frames = replay.Frames,
                nodes = replay.Nodes,
                tipsLps = replay.TipsLps,
            },
        };
        return JsonSerializer.Serialize(document, JsonDefaults.Indented) + "\n";
    }

    // The arm at its home pose: each joint's origin and the tool tip, robot base metres → patient LPS mm.
    private static object Robot(RobotModel robot)
    {
        (double[] basePoint, double[][] joints, double[] tool) = ArmLps(robot, robot.HomeRad);
        return new
        {
            name = "robot",
            model = robot.Name,
            joints = robot.Joints.Select(j => j.Name),
            homeRad = robot.HomeRad.ToArray(),
            baseLps = basePoint,
            jointsLps = joints,
            toolLps = tool,
        };
    }

    /// <summary>
    /// The arm at joints <paramref name="jointRad"/>: the base, each joint's origin and the tool tip in patient LPS mm
    /// (through the robot's patient → robot registration), as the scene draws it.
    /// </summary>
    public static (double[] Base, double[][] Joints, double[] Tool) ArmLps(RobotModel robot, ReadOnlySpan<double> jointRad)
    {
        ArgumentNullException.ThrowIfNull(robot);
        if (jointRad.Length != robot.JointCount)
        {
            throw new ArgumentException($"{robot.Name} has {robot.JointCount} joints, not {jointRad.Length}.", nameof(jointRad));
        }

        Transform toPatient = robot.PatientToRobot.Inverse();
        var joints = new double[robot.JointCount][];
        Pose t = Pose.Identity;
        double[] basePoint = Point(toPatient.Apply(t.Position));
        for (int i = 0; i < robot.JointCount; i++)
        {
            JointSpec j = robot.Joints[i];
            t = t * j.Origin;
            joints[i] = Point(toPatient.Apply(t.Position));
            t = t * new Pose(Vec3.Zero, Quat.FromAxisAngle(j.Axis, jointRad[i]));
        }

        return (basePoint, joints, Point(toPatient.Apply((t * robot.ToolFrame).Position)));
    }

    private static List<double[]> PathPoints(Trajectory trajectory)
    {
        ReadOnlySpan<TrajectorySample> samples = trajectory.Samples;
        int step = Math.Max(1, (samples.Length + MaxPathPoints - 1) / MaxPathPoints);
        var points = new List<double[]>();
        for (int i = 0; i < samples.Length; i += step)
        {
            points.Add(Point(samples[i].TipLps));
        }

        if ((samples.Length - 1) % step != 0)
        {
            points.Add(Point(samples[^1].TipLps));
        }

        return points;
    }

    private static List<double[]> CorridorPoints(Corridor corridor)
    {
        var points = new List<double[]>();
        foreach (Vec3 p in corridor.PointsLps)
        {
            points.Add(Point(p));
        }

        return points;
    }

    // An axial slice of the CT through the target, windowed to 8 bits (row-major, i fastest), with the LPS positions of
    // the first pixel's corner and of the ends of its first row and column (the plane's corners).
    private static object CtSlice(VoxelGrid<short> ct, Vec3 targetLps)
    {
        GridGeometry g = ct.Geometry;
        Vec3 index = g.LpsToIndex(targetLps);
        int k = Math.Clamp((int)Math.Round(index.Z), 0, g.SizeZ - 1);
        int stride = Math.Max(1, (Math.Max(g.SizeX, g.SizeY) + MaxSlicePixels - 1) / MaxSlicePixels);
        int width = (g.SizeX + stride - 1) / stride, height = (g.SizeY + stride - 1) / stride;
        byte[] pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double hu = ct[x * stride, y * stride, k];
                pixels[(y * width) + x] = (byte)Math.Clamp(Math.Round(255 * (hu - WindowHu.Low) / (WindowHu.High - WindowHu.Low)), 0, 255);
            }
        }

        double half = 0.5;
        return new
        {
            name = "ct-slice",
            sliceIndex = k,
            width,
            height,
            windowHu = new[] { WindowHu.Low, WindowHu.High },
            originLps = Point(g.IndexToLps(-half, -half, k)),
            rowEndLps = Point(g.IndexToLps((width * stride) - half, -half, k)),
            columnEndLps = Point(g.IndexToLps(-half, (height * stride) - half, k)),
            pixelsBase64 = Convert.ToBase64String(pixels),
        };
    }

    private static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 3) : null;

    private static double[] Point(Vec3 p) => [Math.Round(p.X, 2), Math.Round(p.Y, 2), Math.Round(p.Z, 2)];
}
