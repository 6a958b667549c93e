using System.Numerics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Instruments;

/// <summary>
/// A rigid needle driven kinematically along a <see cref="Trajectory"/>, coupled to the XPBD tissue inside every substep
/// (after the tissue constraints, through <see cref="NeedleConstraints"/>):
/// <list type="bullet">
/// <item><b>Contact</b>: when the swept tip segment first meets a boundary (a skin triangle, or an inner membrane such
/// as the liver capsule: a face into another tissue that has a puncture threshold), the meeting point becomes an
/// embedded material point q of the tissue behind it. Until puncture, q must stay ahead of the tip,
/// C = (q − tip)·d ≥ 0, and on the needle axis (a sharp tip does not slide). The constraint is projected last in every
/// pass, so the tip cannot tunnel through an unpunctured boundary.</item>
/// <item><b>Puncture</b>: when the tip's axial contact force reaches the entered tissue's
/// <see cref="TissueParameters.PunctureForceN"/>, the boundary breaks; fixed tissue (bone) never breaks.</item>
/// <item><b>Shaft</b>: each tet face the tip crosses leaves an anchor (a material point). Anchors are held on the shaft
/// axis (lateral constraint) and stick to the shaft axially until the axial multiplier reaches the friction limit
/// (tissue friction per mm × the shaft length the anchor stands for), then slide: Coulomb-like stick–slip.</item>
/// <item><b>Cutting</b>: inside tissue the tip needs the tissue's <see cref="TissueParameters.CuttingForceN"/>,
/// applied to the tissue at the tip and reported on the needle.</item>
/// </list>
/// Reaction force and torque (about the hub) are summed from the constraint multipliers (f = λ∇C/h²) of the last
/// substep: <see cref="Wrench"/>. No allocation per step.
/// </summary>
public sealed partial class Needle
{
    private const float MmPerM = 1000f;

    private readonly SoftBodyModel _model;
    private readonly TetMesh _mesh;
    private readonly NeedleSettings _settings;
    private readonly IReadOnlyList<TissueParameters> _tissues;
    private Trajectory? _trajectory;

    // Kinematics in solver coordinates (m).
    private Vector3 _tip, _prevTip, _dir;
    private double _tipArcMm, _skinArcMm, _substepSeconds;

    // Contact: a material point (barycentric weights in tet `_contactTet`) the tip pushes until puncture.
    private bool _contact;
    private int _contactTet, _contactFromTet;
    private readonly float[] _contactWeights = new float[4];
    private float _contactLambda, _contactLimit;
    private Vector3 _contactLateral;

    // Anchors, struct-of-arrays.
    private readonly int[] _anchorTet;
    private readonly float[] _anchorWeights;
    private readonly float[] _anchorStick;
    private readonly double[] _anchorArcMm;
    private readonly float[] _anchorFriction;
    private readonly Vector3[] _anchorLateral;
    private readonly float[] _anchorAxial;
    private int _anchorCount;

    private readonly PunctureEvent[] _punctures;
    private int _punctureCount;
    private readonly long[] _puncturedFaces;
    private int _puncturedCount;
    private int[] _skinCandidates = [];

    /// <summary>Creates a needle for a soft body.</summary>
    public Needle(SoftBodyModel model, NeedleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _model = model;
        _mesh = model.Mesh;
        _tissues = model.Tissues;
        _settings = settings;
        int n = settings.MaxAnchors;
        _anchorTet = new int[n];
        _anchorWeights = new float[4 * n];
        _anchorStick = new float[n];
        _anchorArcMm = new double[n];
        _anchorFriction = new float[n];
        _anchorLateral = new Vector3[n];
        _anchorAxial = new float[n];
        _punctures = new PunctureEvent[settings.MaxPunctures];
        _puncturedFaces = new long[4 * settings.MaxPunctures];
    }

    /// <summary>The settings.</summary>
    public NeedleSettings Settings => _settings;

    /// <summary>The path being followed.</summary>
    public Trajectory? Trajectory => _trajectory;

    /// <summary>Where the tip is.</summary>
    public NeedlePhase Phase { get; private set; }

    /// <summary>True while the tip presses on an unpunctured boundary.</summary>
    public bool InContact => _contact;

    /// <summary>True when the tip pressed on fixed tissue (bone), which it cannot puncture.</summary>
    public bool BlockedByFixedTissue { get; private set; }

    /// <summary>Tet (mesh index) holding the tip while <see cref="Phase"/> is <see cref="NeedlePhase.Inside"/>, else −1.</summary>
    public int CurrentTet { get; private set; } = -1;

    /// <summary>Number of tissue anchors on the shaft.</summary>
    public int AnchorCount => _anchorCount;

    /// <summary>Puncture events so far.</summary>
    public ReadOnlySpan<PunctureEvent> Punctures => _punctures.AsSpan(0, _punctureCount);

    /// <summary>Force and torque on the needle after the last substep.</summary>
    public NeedleWrench Wrench { get; private set; }

    /// <summary>Largest axial resistance seen so far, N.</summary>
    public double PeakAxialForceN { get; private set; }

    /// <summary>Tip position, LPS mm.</summary>
    public Vec3 TipLps => _model.ToLps(_tip.X, _tip.Y, _tip.Z);

    /// <summary>Unit insertion direction (LPS).</summary>
    public Vec3 Direction => new(_dir.X, _dir.Y, _dir.Z);

    /// <summary>Hub (back end of the shaft), LPS mm.</summary>
    public Vec3 HubLps => TipLps - Direction * _settings.ShaftLengthMm;

    /// <summary>Tip travel since the skin puncture along the insertion direction, mm (0 before it).</summary>
    public double InsertedDepthMm => _punctureCount > 0 ? _tipArcMm - _skinArcMm : 0;

    /// <summary>
    /// Starts following <paramref name="trajectory"/> from its first sample: clears contacts, anchors and events, and
    /// picks the skin triangles near the path for contact tests. Call with the body at rest (or reset).
    /// </summary>
    /// <exception cref="ArgumentException">The trajectory starts inside the body.</exception>
    public void Follow(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        if (!trajectory.Samples.IsEmpty && trajectory.Frame != Corridor.PatientLpsMm)
        {
            throw new ArgumentException($"The needle follows patient LPS mm trajectories, not '{trajectory.Frame}'.", nameof(trajectory));
        }

        TrajectorySample start = trajectory.Samples[0];
        if (_mesh.TryLocate(start.TipLps, out _, out _))
        {
            throw new ArgumentException($"The trajectory starts inside the body at {start.TipLps}; start outside the skin.", nameof(trajectory));
        }

        _trajectory = trajectory;
        _tip = ToSolver(start.TipLps);
        _prevTip = _tip;
        _dir = Vector3.Normalize(new Vector3((float)start.Direction.X, (float)start.Direction.Y, (float)start.Direction.Z));
        _tipArcMm = 0;
        _skinArcMm = 0;
        _contact = false;
        _contactLambda = 0;
        _anchorCount = 0;
        _punctureCount = 0;
        _puncturedCount = 0;
        Phase = NeedlePhase.Outside;
        CurrentTet = -1;
        BlockedByFixedTissue = false;
        Wrench = default;
        PeakAxialForceN = 0;
        _skinCandidates = SkinFacesNear(trajectory);
    }

    /// <summary>Substep start: move the tip, detect contact, walk the tip through tets, push the cut tissue.</summary>
    internal void BeginSubstep(SoftBodyState state, double timeSeconds, float h)
    {
        if (_trajectory is null)
        {
            return;
        }

        float[] p = state.Positions;
        _substepSeconds = timeSeconds;
        _prevTip = _tip;
        TrajectorySample sample = _trajectory.At(timeSeconds);
        _tip = ToSolver(sample.TipLps);
        _dir = Vector3.Normalize(new Vector3((float)sample.Direction.X, (float)sample.Direction.Y, (float)sample.Direction.Z));
        float advance = Vector3.Dot(_tip - _prevTip, _dir);
        _tipArcMm += advance * MmPerM;
        _contactLambda = 0;
        _contactLateral = Vector3.Zero;
        for (int a = 0; a < _anchorCount; a++)
        {
            _anchorLateral[a] = Vector3.Zero;
            _anchorAxial[a] = 0;
        }

        if (_contact && Vector3.Dot(ContactPoint(p) - _tip, _dir) > 2e-3f)
        {
            // The needle backed off the boundary.
            _contact = false;
        }

        if (!_contact)
        {
            if (Phase == NeedlePhase.Outside)
            {
                DetectSkin(p);
            }
            else if (Phase == NeedlePhase.Inside)
            {
                Walk(p, advance >= 0);
            }
        }

        DropAnchorsAheadOfTip(p);

        // Cutting: the tip pushes the tissue it cuts with the tissue's cutting force.
        if (Phase == NeedlePhase.Inside && !_contact && CurrentTet >= 0 && advance > 0)
        {
            float cut = (float)_tissues[_mesh.TetTissue[CurrentTet]].CuttingForceN;
            if (cut > 0)
            {
                Bary(p, CurrentTet, _tip, out float b0, out float b1, out float b2, out float b3);
                Vector3 dx = _dir * (cut * h * h);
                Push(p, _mesh.Tets[4 * CurrentTet], W(p, _mesh.Tets[4 * CurrentTet]) * b0, dx);
                Push(p, _mesh.Tets[4 * CurrentTet + 1], W(p, _mesh.Tets[4 * CurrentTet + 1]) * b1, dx);
                Push(p, _mesh.Tets[4 * CurrentTet + 2], W(p, _mesh.Tets[4 * CurrentTet + 2]) * b2, dx);
                Push(p, _mesh.Tets[4 * CurrentTet + 3], W(p, _mesh.Tets[4 * CurrentTet + 3]) * b3, dx);
            }
        }
    }

    /// <summary>After the last pass of a substep: forces and torque from the multipliers; puncture decision.</summary>
    internal void EndSubstep(SoftBodyState state, float h)
    {
        if (_trajectory is null)
        {
            return;
        }

        float[] p = state.Positions;
        float invH2 = 1f / (h * h);
        Vector3 hub = _tip - _dir * (float)(_settings.ShaftLengthMm / MmPerM);
        Vector3 force = Vector3.Zero, torque = Vector3.Zero;
        float tipContact = 0;
        if (_contact)
        {
            Vector3 f = -(_contactLateral + _dir * _contactLambda) * invH2;
            force += f;
            torque += Vector3.Cross(_tip - hub, f);
            tipContact = _contactLambda * invH2;
        }

        for (int a = 0; a < _anchorCount; a++)
        {
            Vector3 f = -(_anchorLateral[a] + _dir * _anchorAxial[a]) * invH2;
            Vector3 q = AnchorPoint(p, a);
            Vector3 onAxis = _tip + _dir * Vector3.Dot(q - _tip, _dir);
            force += f;
            torque += Vector3.Cross(onAxis - hub, f);
        }

        if (Phase == NeedlePhase.Inside && !_contact && CurrentTet >= 0)
        {
            force -= _dir * (float)_tissues[_mesh.TetTissue[CurrentTet]].CuttingForceN;
        }

        double axial = -Vector3.Dot(force, _dir);
        Wrench = new NeedleWrench(new Vec3(force.X, force.Y, force.Z), new Vec3(torque.X, torque.Y, torque.Z), axial, tipContact);
        PeakAxialForceN = Math.Max(PeakAxialForceN, axial);

        if (_contact)
        {
            TissueParameters entered = _tissues[_mesh.TetTissue[_contactTet]];
            // The contact multiplier is capped at the threshold, so "reached" allows for float rounding.
            if (!entered.Fixed && tipContact >= entered.PunctureForceN * (1 - 1e-4))
            {
                Puncture(p, _substepSeconds, tipContact);
            }
        }
    }

    private void Puncture(float[] p, double timeSeconds, float forceN)
    {
        Vector3 q = ContactPoint(p);
        if (_punctureCount < _punctures.Length)
        {
            _punctures[_punctureCount++] = new PunctureEvent(timeSeconds, forceN, _mesh.TetTissue[_contactTet], _model.ToLps(q.X, q.Y, q.Z));
        }

        if (_punctureCount == 1)
        {
            _skinArcMm = _tipArcMm;
        }

        MarkPunctured(_contactFromTet, _contactTet);
        Phase = NeedlePhase.Inside;
        CurrentTet = _contactTet;
        _contact = false;
        AddAnchor(p, _contactTet, q);
    }

    private Vector3 ToSolver(Vec3 lps)
    {
        _model.ToSolver(lps, out float x, out float y, out float z);
        return new Vector3(x, y, z);
    }
}

/// <summary>Passes a <see cref="Needle"/> to <see cref="XpbdSolver.Step{T}(ref T)"/> as its substep constraints.</summary>
/// <param name="needle">The needle.</param>
public readonly struct NeedleConstraints(Needle needle) : ISubstepConstraints
{
    /// <inheritdoc />
    public void BeginSubstep(SoftBodyState state, double timeSeconds, float substepSeconds) => needle.BeginSubstep(state, timeSeconds, substepSeconds);

    /// <inheritdoc />
    public void Project(SoftBodyState state, float substepSeconds, int iteration) => needle.Project(state, substepSeconds, iteration);

    /// <inheritdoc />
    public void EndSubstep(SoftBodyState state, float substepSeconds) => needle.EndSubstep(state, substepSeconds);
}
