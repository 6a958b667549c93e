using System.Numerics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Rehearsal.Instruments;

public sealed partial class Needle
{
    private const float InsideTolerance = 1e-5f;

    /// <summary>Outside the body: does the swept tip segment enter a skin triangle this substep? The first hit wins.</summary>
    private void DetectSkin(float[] p)
    {
        float tolerance = (float)(_settings.DetectionToleranceMm / MmPerM);
        float bestU = float.MaxValue;
        int best = -1;
        foreach (int b in _skinCandidates)
        {
            Vector3 xa = X(p, _mesh.BoundaryFaces[3 * b]), xb = X(p, _mesh.BoundaryFaces[3 * b + 1]), xc = X(p, _mesh.BoundaryFaces[3 * b + 2]);
            Vector3 normal = Vector3.Cross(xb - xa, xc - xa);
            float area = normal.Length();
            if (area <= 0)
            {
                continue;
            }

            normal /= area;
            float s0 = Vector3.Dot(normal, _prevTip - xa), s1 = Vector3.Dot(normal, _tip - xa);
            if (!(s1 < 0 && s0 >= -tolerance))
            {
                continue;
            }

            float u = s0 <= 0 ? 0 : s0 / (s0 - s1);
            Vector3 hit = _prevTip + (_tip - _prevTip) * u;
            FaceBary(xa, xb, xc, hit, out float ba, out float bb, out float bc);
            if (ba < -InsideTolerance || bb < -InsideTolerance || bc < -InsideTolerance || u >= bestU)
            {
                continue;
            }

            bestU = u;
            best = b;
        }

        if (best >= 0)
        {
            int tf = _mesh.BoundaryFaceTet[best];
            StartContact(p, tf >> 2, -1, _prevTip + (_tip - _prevTip) * bestU);
        }
    }

    /// <summary>Makes <paramref name="point"/> (on a face of <paramref name="tet"/>) the contact material point.</summary>
    private void StartContact(float[] p, int tet, int fromTet, Vector3 point)
    {
        Bary(p, tet, point, out float b0, out float b1, out float b2, out float b3);
        _contact = true;
        _contactTet = tet;
        _contactFromTet = fromTet;
        _contactWeights[0] = b0;
        _contactWeights[1] = b1;
        _contactWeights[2] = b2;
        _contactWeights[3] = b3;
        _contactLambda = 0;
        _contactLateral = Vector3.Zero;
        TissueParameters entered = _tissues[_mesh.TetTissue[tet]];
        _contactLimit = (float)(entered.Fixed ? _settings.FixedTissueForceLimitN : entered.PunctureForceN);
        if (entered.Fixed)
        {
            BlockedByFixedTissue = true;
        }
    }

    /// <summary>
    /// Inside: moves <see cref="CurrentTet"/> to the tet holding the tip, crossing one face at a time. Crossing into
    /// another tissue with a puncture threshold (or bone) stops at that face as a contact; other crossings leave an anchor.
    /// </summary>
    private void Walk(float[] p, bool forward)
    {
        for (int hop = 0; hop < 64 && CurrentTet >= 0; hop++)
        {
            int t = CurrentTet;
            if (!Bary(p, t, _tip, out float b0, out float b1, out float b2, out float b3))
            {
                // An inverted tet (crushed in front of the tip) says nothing about where the tip is: wait for it to recover.
                return;
            }

            float min = MathF.Min(MathF.Min(b0, b1), MathF.Min(b2, b3));
            if (min >= -InsideTolerance)
            {
                return;
            }

            int f = b0 == min ? 0 : b1 == min ? 1 : b2 == min ? 2 : 3;
            int n = _mesh.Neighbors[4 * t + f];
            if (n < 0)
            {
                // Through the boundary: out of the far side going forward, back out of the skin going backward. A tip
                // just behind the face it came in by (the skin right after puncture, still springing back) stays put.
                int[] bv = TetMesh.FaceVertices[f];
                Vector3 ba = X(p, _mesh.Tets[4 * t + bv[0]]);
                Vector3 outward = Vector3.Cross(X(p, _mesh.Tets[4 * t + bv[1]]) - ba, X(p, _mesh.Tets[4 * t + bv[2]]) - ba);
                float facing = Vector3.Dot(outward, _dir);
                if (forward && facing > 0)
                {
                    Phase = NeedlePhase.Exited;
                    CurrentTet = -1;
                }
                else if (!forward && facing < 0)
                {
                    Phase = NeedlePhase.Outside;
                    CurrentTet = -1;
                }

                return;
            }

            if (IsMembrane(t, n))
            {
                // Contact where the swept tip crossed the shared face (face f of t).
                int[] fv = TetMesh.FaceVertices[f];
                Vector3 xa = X(p, _mesh.Tets[4 * t + fv[0]]), xb = X(p, _mesh.Tets[4 * t + fv[1]]), xc = X(p, _mesh.Tets[4 * t + fv[2]]);
                Vector3 normal = Vector3.Cross(xb - xa, xc - xa);
                float s0 = Vector3.Dot(normal, _prevTip - xa), s1 = Vector3.Dot(normal, _tip - xa);
                float u = s1 > s0 ? Math.Clamp(-s0 / (s1 - s0), 0, 1) : 0;
                StartContact(p, n, t, _prevTip + (_tip - _prevTip) * u);
                return;
            }

            CurrentTet = n;
            if (forward)
            {
                AddAnchor(p, n, _tip);
            }
        }
    }

    private bool IsMembrane(int from, int to)
    {
        int a = _mesh.TetTissue[from], b = _mesh.TetTissue[to];
        if (a == b || IsPunctured(from, to))
        {
            return false;
        }

        TissueParameters entered = _tissues[b];
        return entered.Fixed || entered.PunctureForceN > 0;
    }

    private void MarkPunctured(int from, int to)
    {
        if (_puncturedCount < _puncturedFaces.Length)
        {
            _puncturedFaces[_puncturedCount++] = FacePairKey(from, to);
        }
    }

    private bool IsPunctured(int from, int to)
    {
        long key = FacePairKey(from, to);
        for (int k = 0; k < _puncturedCount; k++)
        {
            if (_puncturedFaces[k] == key)
            {
                return true;
            }
        }

        return false;
    }

    private static long FacePairKey(int a, int b) => ((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b);

    /// <summary>Barycentric coordinates of <paramref name="point"/> in tet <paramref name="tet"/> at current positions;
    /// false when the tet is inverted or flat.</summary>
    private bool Bary(float[] p, int tet, Vector3 point, out float b0, out float b1, out float b2, out float b3)
    {
        Vector3 x0 = X(p, _mesh.Tets[4 * tet]);
        Vector3 e1 = X(p, _mesh.Tets[4 * tet + 1]) - x0, e2 = X(p, _mesh.Tets[4 * tet + 2]) - x0, e3 = X(p, _mesh.Tets[4 * tet + 3]) - x0;
        Vector3 r = point - x0;
        float volume = Vector3.Dot(e1, Vector3.Cross(e2, e3));
        float inv = volume != 0 ? 1f / volume : 0f;
        b1 = Vector3.Dot(r, Vector3.Cross(e2, e3)) * inv;
        b2 = Vector3.Dot(e1, Vector3.Cross(r, e3)) * inv;
        b3 = Vector3.Dot(e1, Vector3.Cross(e2, r)) * inv;
        b0 = 1 - b1 - b2 - b3;
        return volume > 0;
    }

    /// <summary>Barycentric coordinates of the projection of <paramref name="point"/> on the triangle's plane.</summary>
    private static void FaceBary(Vector3 a, Vector3 b, Vector3 c, Vector3 point, out float ba, out float bb, out float bc)
    {
        Vector3 v0 = b - a, v1 = c - a, v2 = point - a;
        float d00 = Vector3.Dot(v0, v0), d01 = Vector3.Dot(v0, v1), d11 = Vector3.Dot(v1, v1);
        float d20 = Vector3.Dot(v2, v0), d21 = Vector3.Dot(v2, v1);
        float denom = d00 * d11 - d01 * d01;
        float inv = denom != 0 ? 1f / denom : 0f;
        bb = (d11 * d20 - d01 * d21) * inv;
        bc = (d00 * d21 - d01 * d20) * inv;
        ba = 1 - bb - bc;
    }

    /// <summary>Skin triangles whose rest centroid lies within the search radius (plus the triangle's size) of the path.</summary>
    private int[] SkinFacesNear(Trajectory trajectory)
    {
        var list = new List<int>();
        ReadOnlySpan<TrajectorySample> samples = trajectory.Samples;
        for (int b = 0; b < _mesh.BoundaryFaceCount; b++)
        {
            Vec3 a = _mesh.NodesLps[_mesh.BoundaryFaces[3 * b]], bb = _mesh.NodesLps[_mesh.BoundaryFaces[3 * b + 1]], c = _mesh.NodesLps[_mesh.BoundaryFaces[3 * b + 2]];
            Vec3 centroid = (a + bb + c) / 3;
            double size = Math.Max(Vec3.Distance(a, centroid), Math.Max(Vec3.Distance(bb, centroid), Vec3.Distance(c, centroid)));
            double best = double.PositiveInfinity;
            for (int s = 1; s < samples.Length; s++)
            {
                best = Math.Min(best, DistanceToSegment(centroid, samples[s - 1].TipLps, samples[s].TipLps));
            }

            if (best <= _settings.SkinSearchRadiusMm + size)
            {
                list.Add(b);
            }
        }

        return [.. list];
    }

    private static double DistanceToSegment(Vec3 point, Vec3 a, Vec3 b)
    {
        Vec3 ab = b - a;
        double t = Math.Clamp(Vec3.Dot(point - a, ab) / Math.Max(ab.LengthSquared, 1e-30), 0, 1);
        return Vec3.Distance(point, a + ab * t);
    }
}
