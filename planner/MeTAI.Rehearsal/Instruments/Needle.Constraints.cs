using System.Numerics;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Instruments;

public sealed partial class Needle
{
    /// <summary>One pass: shaft anchors (lateral, then stick–slip axial), then the tip contact last so it holds exactly.</summary>
    internal void Project(SoftBodyState state, float h, int iteration)
    {
        if (_trajectory is null)
        {
            return;
        }

        float[] p = state.Positions;
        float h2 = h * h;
        for (int a = 0; a < _anchorCount; a++)
        {
            ProjectAnchor(p, a, h2);
        }

        if (_contact)
        {
            ProjectContact(p, h2);
        }
    }

    private void ProjectAnchor(float[] p, int a, float h2)
    {
        int t = _anchorTet[a];
        int n0 = _mesh.Tets[4 * t], n1 = _mesh.Tets[4 * t + 1], n2 = _mesh.Tets[4 * t + 2], n3 = _mesh.Tets[4 * t + 3];
        float b0 = _anchorWeights[4 * a], b1 = _anchorWeights[4 * a + 1], b2 = _anchorWeights[4 * a + 2], b3 = _anchorWeights[4 * a + 3];
        float denom = W(p, n0) * b0 * b0 + W(p, n1) * b1 * b1 + W(p, n2) * b2 * b2 + W(p, n3) * b3 * b3;
        if (denom <= 0)
        {
            return;
        }

        // Lateral: the material point on the shaft axis. C = |r|, r = (q − tip) − ((q − tip)·d) d, ∇_k C = b_k r̂.
        Vector3 q = AnchorPoint(p, a);
        Vector3 rel = q - _tip;
        Vector3 r = rel - _dir * Vector3.Dot(rel, _dir);
        float length = r.Length();
        if (length > 1e-9f)
        {
            // The accumulated lateral multiplier (a vector) is limited: beyond it the shaft cuts sideways.
            Vector3 lateralOld = _anchorLateral[a];
            Vector3 lateral = lateralOld - r / denom;
            float lateralLimit = (float)_settings.LateralForceLimitN * h2;
            float lateralLength = lateral.Length();
            if (lateralLength > lateralLimit)
            {
                lateral *= lateralLimit / lateralLength;
            }

            Vector3 dx = lateral - lateralOld;
            Push(p, n0, W(p, n0) * b0, dx);
            Push(p, n1, W(p, n1) * b1, dx);
            Push(p, n2, W(p, n2) * b2, dx);
            Push(p, n3, W(p, n3) * b3, dx);
            _anchorLateral[a] = lateral;
        }

        // Axial stick–slip: C = (q − tip)·d − s_stick, |λ| ≤ friction limit · h².
        q = AnchorPoint(p, a);
        float s = Vector3.Dot(q - _tip, _dir);
        float da = -(s - _anchorStick[a]) / denom;
        double lengthMm = (a + 1 < _anchorCount ? _anchorArcMm[a + 1] : _tipArcMm) - _anchorArcMm[a];
        float limit = (float)(_anchorFriction[a] * Math.Max(0, lengthMm)) * h2;
        float old = _anchorAxial[a];
        float next = Math.Clamp(old + da, -limit, limit);
        da = next - old;
        _anchorAxial[a] = next;
        if (da != 0)
        {
            Vector3 dx = _dir * da;
            Push(p, n0, W(p, n0) * b0, dx);
            Push(p, n1, W(p, n1) * b1, dx);
            Push(p, n2, W(p, n2) * b2, dx);
            Push(p, n3, W(p, n3) * b3, dx);
        }

        if (next == limit || next == -limit)
        {
            // Sliding: the shaft moves on; the tissue stays where friction left it.
            _anchorStick[a] = Vector3.Dot(AnchorPoint(p, a) - _tip, _dir);
        }
    }

    private void ProjectContact(float[] p, float h2)
    {
        int t = _contactTet;
        int n0 = _mesh.Tets[4 * t], n1 = _mesh.Tets[4 * t + 1], n2 = _mesh.Tets[4 * t + 2], n3 = _mesh.Tets[4 * t + 3];
        float b0 = _contactWeights[0], b1 = _contactWeights[1], b2 = _contactWeights[2], b3 = _contactWeights[3];
        float denom = W(p, n0) * b0 * b0 + W(p, n1) * b1 * b1 + W(p, n2) * b2 * b2 + W(p, n3) * b3 * b3;
        if (denom <= 1e-12f)
        {
            // Every node around the contact is fixed (bone): nothing yields, the tip is stopped. Report the limit force,
            // what a haptic master should render as a hard wall.
            BlockedByFixedTissue = true;
            _contactLambda = (float)_settings.FixedTissueForceLimitN * h2;
            return;
        }

        // Lateral: the contact point stays on the axis (a sharp tip does not slide).
        Vector3 rel = ContactPoint(p) - _tip;
        Vector3 r = rel - _dir * Vector3.Dot(rel, _dir);
        float length = r.Length();
        if (length > 1e-9f)
        {
            Vector3 old = _contactLateral;
            Vector3 lateral = old - r / denom;
            float lateralLimit = (float)_settings.LateralForceLimitN * h2;
            float lateralLength = lateral.Length();
            if (lateralLength > lateralLimit)
            {
                lateral *= lateralLimit / lateralLength;
            }

            Vector3 dx = lateral - old;
            Push(p, n0, W(p, n0) * b0, dx);
            Push(p, n1, W(p, n1) * b1, dx);
            Push(p, n2, W(p, n2) * b2, dx);
            Push(p, n3, W(p, n3) * b3, dx);
            _contactLateral = lateral;
        }

        // Axial inequality C = (q − tip)·d ≥ 0: the multiplier only pushes (λ ≥ 0), and never beyond the boundary's
        // strength: at the puncture threshold the boundary gives way (EndSubstep then records the puncture).
        float c = Vector3.Dot(ContactPoint(p) - _tip, _dir);
        float next = Math.Clamp(_contactLambda - c / denom, 0, _contactLimit * h2);
        float dl = next - _contactLambda;
        _contactLambda = next;
        if (dl != 0)
        {
            Vector3 dx = _dir * dl;
            Push(p, n0, W(p, n0) * b0, dx);
            Push(p, n1, W(p, n1) * b1, dx);
            Push(p, n2, W(p, n2) * b2, dx);
            Push(p, n3, W(p, n3) * b3, dx);
        }
    }

    private Vector3 ContactPoint(float[] p)
    {
        int t = _contactTet;
        return X(p, _mesh.Tets[4 * t]) * _contactWeights[0] + X(p, _mesh.Tets[4 * t + 1]) * _contactWeights[1]
            + X(p, _mesh.Tets[4 * t + 2]) * _contactWeights[2] + X(p, _mesh.Tets[4 * t + 3]) * _contactWeights[3];
    }

    private Vector3 AnchorPoint(float[] p, int a)
    {
        int t = _anchorTet[a];
        return X(p, _mesh.Tets[4 * t]) * _anchorWeights[4 * a] + X(p, _mesh.Tets[4 * t + 1]) * _anchorWeights[4 * a + 1]
            + X(p, _mesh.Tets[4 * t + 2]) * _anchorWeights[4 * a + 2] + X(p, _mesh.Tets[4 * t + 3]) * _anchorWeights[4 * a + 3];
    }

    private void AddAnchor(float[] p, int tet, Vector3 point)
    {
        if (_anchorCount >= _anchorTet.Length)
        {
            return;
        }

        Bary(p, tet, point, out float b0, out float b1, out float b2, out float b3);
        int a = _anchorCount++;
        _anchorTet[a] = tet;
        _anchorWeights[4 * a] = b0;
        _anchorWeights[4 * a + 1] = b1;
        _anchorWeights[4 * a + 2] = b2;
        _anchorWeights[4 * a + 3] = b3;
        _anchorStick[a] = Vector3.Dot(point - _tip, _dir);
        _anchorArcMm[a] = _tipArcMm;
        _anchorFriction[a] = (float)_tissues[_mesh.TetTissue[tet]].FrictionNPerMm;
        _anchorLateral[a] = Vector3.Zero;
        _anchorAxial[a] = 0;
    }

    // When the needle is pulled back, anchors ahead of the tip no longer touch the shaft.
    private void DropAnchorsAheadOfTip(float[] p)
    {
        int kept = 0;
        for (int a = 0; a < _anchorCount; a++)
        {
            if (Vector3.Dot(AnchorPoint(p, a) - _tip, _dir) > 5e-4f)
            {
                continue;
            }

            if (kept != a)
            {
                _anchorTet[kept] = _anchorTet[a];
                Array.Copy(_anchorWeights, 4 * a, _anchorWeights, 4 * kept, 4);
                _anchorStick[kept] = _anchorStick[a];
                _anchorArcMm[kept] = _anchorArcMm[a];
                _anchorFriction[kept] = _anchorFriction[a];
                _anchorLateral[kept] = _anchorLateral[a];
                _anchorAxial[kept] = _anchorAxial[a];
            }

            kept++;
        }

        _anchorCount = kept;
    }

    private static float W(float[] p, int node) => p[4 * node + 3];

    private static Vector3 X(float[] p, int node) => new(p[4 * node], p[4 * node + 1], p[4 * node + 2]);

    /// <summary>x_node += w·dx (w already includes the inverse mass).</summary>
    private static void Push(float[] p, int node, float w, Vector3 dx)
    {
        int i = 4 * node;
        p[i] += w * dx.X;
        p[i + 1] += w * dx.Y;
        p[i + 2] += w * dx.Z;
    }
}
