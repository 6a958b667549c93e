using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Kinematics;

/// <summary>
/// Damped-least-squares inverse kinematics, <c>Δq = Jᵀ(JJᵀ + λ²I)⁻¹e</c> on the weighted 6-D pose error, with
/// joint-limit handling: a joint that sits on a limit and is pushed further has its Jacobian column removed for the
/// next iteration (the others take over), and every iterate is clamped into the limits. Preallocated buffers: one
/// solver per thread, allocation-free per call.
/// </summary>
public sealed class DlsIkSolver
{
    private readonly RobotModel _model;
    private readonly IkOptions _options;
    private readonly double[] _jacobian;
    private readonly Vec3[] _axes;
    private readonly Vec3[] _origins;
    private readonly double[] _a = new double[36];
    private readonly double[] _e = new double[6];
    private readonly double[] _y = new double[6];
    private readonly bool[] _frozen;

    /// <summary>Creates a solver for <paramref name="model"/>.</summary>
    public DlsIkSolver(RobotModel model, IkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _options = options ?? new IkOptions();
        _options.Validate();
        _model = model;
        int n = model.JointCount;
        _jacobian = new double[6 * n];
        _axes = new Vec3[n];
        _origins = new Vec3[n];
        _frozen = new bool[n];
    }

    /// <summary>Options in use.</summary>
    public IkOptions Options => _options;

    /// <summary>
    /// Solves for joint angles reaching <paramref name="target"/> starting from <paramref name="seed"/>; writes them
    /// to <paramref name="result"/> (which may be the same span as the seed). Always within joint limits.
    /// </summary>
    public IkResult Solve(in Pose target, ReadOnlySpan<double> seed, Span<double> result, int maxIterations = 0)
    {
        int n = _model.JointCount;
        if (seed.Length != n || result.Length != n)
        {
            throw new ArgumentException($"Expected {n} joint values.");
        }

        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(seed), ref MemoryMarshal.GetReference(result)))
        {
            seed.CopyTo(result);
        }

        _model.ClampToLimits(result);
        int iterations = maxIterations > 0 ? maxIterations : _options.MaxIterations;
        double w = _options.OrientationWeightMPerRad;
        double lambdaSq = _options.Damping * _options.Damping;
        double posErr = 0, rotErr = 0;
        bool atLimit = false;
        Array.Clear(_frozen);
        int it = 0;
        for (; it <= iterations; it++)
        {
            Pose current = _model.ForwardKinematics(result, _jacobian, _axes, _origins);
            Vec3 dp = target.Position - current.Position;
            Vec3 dr = RotationError(target.Orientation, current.Orientation);
            posErr = dp.Length;
            rotErr = dr.Length;
            if (posErr < _options.PositionToleranceM && (w == 0 || rotErr < _options.OrientationToleranceRad))
            {
                return new IkResult(true, it, posErr, rotErr, IsAtLimit(result));
            }

            if (it == iterations)
            {
                break;
            }

            _e[0] = dp.X;
            _e[1] = dp.Y;
            _e[2] = dp.Z;
            _e[3] = w * dr.X;
            _e[4] = w * dr.Y;
            _e[5] = w * dr.Z;

            WeightJacobian(n, w);
            BuildDampedNormalMatrix(n, lambdaSq);
            CholeskySolve(_a, _e, _y);
            atLimit = TakeStep(result);
        }

        return new IkResult(false, it, posErr, rotErr, atLimit || IsAtLimit(result));
    }

    /// <summary>Rotation vector (axis·angle, rad) taking <paramref name="current"/> to <paramref name="target"/>.</summary>
    public static Vec3 RotationError(Quat target, Quat current)
    {
        Quat d = target * current.Conjugate();
        if (d.W < 0)
        {
            d = new Quat(-d.W, -d.X, -d.Y, -d.Z);
        }

        double s = Math.Sqrt(d.X * d.X + d.Y * d.Y + d.Z * d.Z);
        if (s < 1e-12)
        {
            return new Vec3(2 * d.X, 2 * d.Y, 2 * d.Z);
        }

        double angle = 2 * Math.Atan2(s, d.W);
        return new Vec3(d.X, d.Y, d.Z) * (angle / s);
    }

    // Weighted Jacobian: orientation rows scaled by w; frozen joints contribute nothing.
    private void WeightJacobian(int n, double w)
    {
        for (int i = 0; i < n; i++)
        {
            int c = 6 * i;
            if (_frozen[i])
            {
                for (int r = 0; r < 6; r++)
                {
                    _jacobian[c + r] = 0;
                }
            }
            else
            {
                _jacobian[c + 3] *= w;
                _jacobian[c + 4] *= w;
                _jacobian[c + 5] *= w;
            }
        }
    }

    // A = J Jᵀ + λ² I (6×6, symmetric positive definite).
    private void BuildDampedNormalMatrix(int n, double lambdaSq)
    {
        for (int r = 0; r < 6; r++)
        {
            for (int s = 0; s <= r; s++)
            {
                double sum = r == s ? lambdaSq : 0;
                for (int i = 0; i < n; i++)
                {
                    sum += _jacobian[6 * i + r] * _jacobian[6 * i + s];
                }

                _a[6 * r + s] = sum;
                _a[6 * s + r] = sum;
            }
        }
    }

    // q += Δq = Jᵀy, each joint's step bounded; a joint that reaches a limit is clamped there and frozen for the next
    // iteration. Returns true when any joint hit a limit.
    private bool TakeStep(Span<double> result)
    {
        bool atLimit = false;
        for (int i = 0; i < result.Length; i++)
        {
            double dq = 0;
            int c = 6 * i;
            for (int r = 0; r < 6; r++)
            {
                dq += _jacobian[c + r] * _y[r];
            }

            dq = Math.Clamp(dq, -_options.MaxStepRad, _options.MaxStepRad);
            JointSpec j = _model.Joints[i];
            double q = result[i] + dq;
            if (q <= j.MinRad || q >= j.MaxRad)
            {
                q = Math.Clamp(q, j.MinRad, j.MaxRad);
                _frozen[i] = true;
                atLimit = true;
            }

            result[i] = q;
        }

        return atLimit;
    }

    private bool IsAtLimit(ReadOnlySpan<double> q)
    {
        for (int i = 0; i < q.Length; i++)
        {
            JointSpec j = _model.Joints[i];
            if (q[i] <= j.MinRad + 1e-9 || q[i] >= j.MaxRad - 1e-9)
            {
                return true;
            }
        }

        return false;
    }

    // In-place Cholesky of the 6×6 SPD matrix a, then forward/back substitution: a y = b.
    private static void CholeskySolve(double[] a, double[] b, double[] y)
    {
        const int N = 6;
        for (int j = 0; j < N; j++)
        {
            double d = a[N * j + j];
            for (int k = 0; k < j; k++)
            {
                d -= a[N * j + k] * a[N * j + k];
            }

            d = Math.Sqrt(Math.Max(d, 1e-18));
            a[N * j + j] = d;
            for (int i = j + 1; i < N; i++)
            {
                double s = a[N * i + j];
                for (int k = 0; k < j; k++)
                {
                    s -= a[N * i + k] * a[N * j + k];
                }

                a[N * i + j] = s / d;
            }
        }

        for (int i = 0; i < N; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
            {
                s -= a[N * i + k] * y[k];
            }

            y[i] = s / a[N * i + i];
        }

        for (int i = N - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < N; k++)
            {
                s -= a[N * k + i] * y[k];
            }

            y[i] = s / a[N * i + i];
        }
    }
}
