using System.Diagnostics;

namespace MeTAI.Planner.Optimization.Solver;

/// <summary>
/// Bound-constrained limited-memory BFGS by projection (a two-metric projection method in the sense of Bertsekas 1982;
/// the same family as Kim, Sra &amp; Dhillon 2010). Per iteration:
/// <list type="number">
/// <item>Variables at a bound whose gradient points out of the box are held (the active set); the others are free.</item>
/// <item>The L-BFGS two-loop recursion (Nocedal 1980) over the stored pairs, restricted to the free variables, gives the
/// direction; held variables get −∇f (which the projection cancels). If it is not a descent direction the memory is
/// dropped and −∇f used.</item>
/// <item>A backtracking line search along the projection arc x(α) = P(x + α·d) accepts the first α (from 1) with
/// f(x(α)) ≤ f(x) + c₁∇f·(x(α) − x) (Armijo along the arc), shrinking α by safeguarded quadratic interpolation.</item>
/// <item>The pair (s, y) is stored when sᵀy &gt; 0.</item>
/// </list>
/// Arrays are allocated once per call; iterations allocate nothing. Used for beamlet fluences (x ≥ 0) and segment MUs
/// (x ≥ minimum MU).
/// </summary>
public sealed class ProjectedLbfgsB
{
    private readonly OptimizerOptions _options;

    /// <summary>An optimiser with <paramref name="options"/>.</summary>
    public ProjectedLbfgsB(OptimizerOptions? options = null)
    {
        _options = options ?? new OptimizerOptions();
        _options.Validate();
    }

    /// <summary>
    /// Minimises <paramref name="f"/> over lower[j] ≤ x[j] ≤ upper[j] starting from <paramref name="x"/> (projected
    /// first), which holds the result on return. <paramref name="upper"/> null means no upper bounds.
    /// </summary>
    public OptimizationResult Minimize(IDifferentiableFunction f, double[] x, double[] lower, double[]? upper = null, Action<IterationRecord>? onIteration = null, double[]? preconditioner = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(lower);
        int n = f.Dimension;
        if (x.Length != n || lower.Length != n || (upper is not null && upper.Length != n))
        {
            throw new ArgumentException($"x and the bounds need {n} values.");
        }

        var w = new Workspace(n, _options.Memory, preconditioner);
        double[] g = w.G;
        var history = new List<IterationRecord>(Math.Min(_options.MaxIterations + 1, 4096));
        var sw = Stopwatch.StartNew();
        Project(x, lower, upper);
        double fx = f.Evaluate(x, g);
        int evals = 1;
        double pg0 = ProjectedGradientNorm(x, g, lower, upper);
        history.Add(new IterationRecord(0, fx, pg0, evals, sw.Elapsed.TotalSeconds, n));
        onIteration?.Invoke(history[^1]);
        string reason = "iteration limit";
        int small = 0, it = 0;
        if (!double.IsFinite(fx))
        {
            throw new ArgumentException("The objective is not finite at the starting point.");
        }

        if (pg0 == 0)
        {
            reason = "projected gradient is zero at the start";
            return Result(fx, 0, evals, sw, reason, history);
        }

        while (it < _options.MaxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            it++;
            int nFree = w.SelectFree(x, lower, upper);
            w.Direction(x);
            if (!w.LineSearch(f, x, lower, upper, fx, _options, ref evals, out double ft))
            {
                reason = "line search found no decrease";
                break;
            }

            w.StorePair(x);
            double rel = (fx - ft) / Math.Max(Math.Abs(fx), 1e-300);
            Array.Copy(w.Xt, x, n);
            Array.Copy(w.Gt, g, n);
            fx = ft;
            double pg = ProjectedGradientNorm(x, g, lower, upper);
            history.Add(new IterationRecord(it, fx, pg, evals, sw.Elapsed.TotalSeconds, nFree));
            onIteration?.Invoke(history[^1]);
            if (pg <= _options.ProjectedGradientTolerance * pg0)
            {
                reason = "projected gradient tolerance";
                break;
            }

            small = rel < _options.RelativeFunctionTolerance ? small + 1 : 0;
            if (small >= _options.Patience)
            {
                reason = "relative function tolerance";
                break;
            }

            if (_options.MaxSeconds > 0 && sw.Elapsed.TotalSeconds > _options.MaxSeconds)
            {
                reason = "time limit";
                break;
            }
        }

        return Result(fx, it, evals, sw, reason, history);
    }

    private static OptimizationResult Result(double fx, int it, int evals, Stopwatch sw, string reason, List<IterationRecord> history) => new()
    {
        Objective = fx,
        Iterations = it,
        Evaluations = evals,
        Seconds = sw.Elapsed.TotalSeconds,
        StopReason = reason,
        History = history,
    };

    /// <summary>‖P(x − g) − x‖∞.</summary>
    public static double ProjectedGradientNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> g, ReadOnlySpan<double> lower, double[]? upper)
    {
        double norm = 0;
        for (int j = 0; j < x.Length; j++)
        {
            double v = Math.Max(x[j] - g[j], lower[j]);
            if (upper is not null)
            {
                v = Math.Min(v, upper[j]);
            }

            norm = Math.Max(norm, Math.Abs(v - x[j]));
        }

        return norm;
    }

    private static void Project(double[] x, double[] lower, double[]? upper)
    {
        for (int j = 0; j < x.Length; j++)
        {
            x[j] = Math.Max(x[j], lower[j]);
            if (upper is not null)
            {
                x[j] = Math.Min(x[j], upper[j]);
            }
        }
    }

    /// <summary>First step scale: a gradient step that moves the largest variable by about 10 % of the largest |x| (or 1).</summary>
    private static double InitialScale(double[] x, double[] g, double[]? p)
    {
        double gmax = 0, xmax = 0;
        for (int j = 0; j < x.Length; j++)
        {
            gmax = Math.Max(gmax, Math.Abs(g[j] * (p is null ? 1 : p[j])));
            xmax = Math.Max(xmax, Math.Abs(x[j]));
        }

        return gmax > 0 ? 0.1 * Math.Max(xmax, 1e-3) / gmax : 1;
    }

    private static double DotFree(double[] a, double[] b, bool[] free)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            if (free[j])
            {
                sum += a[j] * b[j];
            }
        }

        return sum;
    }

    private static void AxpyFree(double a, double[] x, double[] y, bool[] free)
    {
        for (int j = 0; j < x.Length; j++)
        {
            if (free[j])
            {
                y[j] += a * x[j];
            }
        }
    }

    /// <summary>
    /// The arrays of one <see cref="Minimize"/> call — gradient, trial point, direction, free set, and the L-BFGS memory
    /// of (s, y) pairs as a ring — allocated once, so the iterations allocate nothing.
    /// </summary>
    private sealed class Workspace
    {
        private readonly int _m;
        private readonly double[]? _p;
        private readonly double[] _d;
        private readonly bool[] _free;
        private readonly double[][] _s;
        private readonly double[][] _y;
        private readonly double[] _rho;
        private readonly double[] _alpha;
        private int _stored, _newest = -1;
        private double _gamma = 1;

        public Workspace(int n, int memory, double[]? preconditioner)
        {
            _m = memory;
            _p = preconditioner;
            G = new double[n];
            Xt = new double[n];
            Gt = new double[n];
            _d = new double[n];
            _free = new bool[n];
            _s = new double[memory][];
            _y = new double[memory][];
            _rho = new double[memory];
            _alpha = new double[memory];
            for (int i = 0; i < memory; i++)
            {
                _s[i] = new double[n];
                _y[i] = new double[n];
            }
        }

        /// <summary>Gradient at the current point.</summary>
        public double[] G { get; }

        /// <summary>The accepted trial point of the line search.</summary>
        public double[] Xt { get; }

        /// <summary>Gradient at <see cref="Xt"/>.</summary>
        public double[] Gt { get; }

        /// <summary>Holds the variables at a bound whose gradient points out of the box; returns how many are free.</summary>
        public int SelectFree(double[] x, double[] lower, double[]? upper)
        {
            int nFree = 0;
            for (int j = 0; j < x.Length; j++)
            {
                bool atLower = x[j] <= lower[j] && G[j] > 0;
                bool atUpper = upper is not null && x[j] >= upper[j] && G[j] < 0;
                _free[j] = !(atLower || atUpper);
                nFree += _free[j] ? 1 : 0;
            }

            return nFree;
        }

        /// <summary>
        /// The search direction: the two-loop recursion on the free variables (−∇f on the held ones); when that is not a
        /// descent direction, the memory is dropped and a scaled −∇f used.
        /// </summary>
        public void Direction(double[] x)
        {
            int n = x.Length;
            double[] g = G, d = _d;
            for (int j = 0; j < n; j++)
            {
                d[j] = _free[j] ? g[j] : 0;
            }

            for (int c = 0, i = _newest; c < _stored; c++, i = (i - 1 + _m) % _m)
            {
                _alpha[i] = _rho[i] * DotFree(_s[i], d, _free);
                AxpyFree(-_alpha[i], _y[i], d, _free);
            }

            double scale = _stored > 0 ? _gamma : InitialScale(x, g, _p);
            for (int j = 0; j < n; j++)
            {
                d[j] *= _p is null ? scale : scale * _p[j];
            }

            for (int c = 0, i = (_newest - _stored + 1 + _m) % _m; c < _stored; c++, i = (i + 1) % _m)
            {
                double beta = _rho[i] * DotFree(_y[i], d, _free);
                AxpyFree(_alpha[i] - beta, _s[i], d, _free);
            }

            double slope = 0;
            for (int j = 0; j < n; j++)
            {
                d[j] = _free[j] ? -d[j] : -g[j];
                slope += _free[j] ? g[j] * d[j] : 0;
            }

            if (!(slope < 0))
            {
                _stored = 0;
                _newest = -1;
                double sc = InitialScale(x, g, _p);
                for (int j = 0; j < n; j++)
                {
                    d[j] = -sc * g[j] * (_p is null ? 1 : _p[j]);
                }
            }
        }

        /// <summary>
        /// Backtracking on the projection arc x(α) = P(x + α·d): the first α from 1 with f(x(α)) ≤ f(x) + c₁∇f·(x(α) − x),
        /// shrunk by safeguarded quadratic interpolation. The accepted point is in <see cref="Xt"/>, its gradient in <see cref="Gt"/>.
        /// </summary>
        public bool LineSearch(IDifferentiableFunction f, double[] x, double[] lower, double[]? upper, double fx, OptimizerOptions options, ref int evals, out double ft)
        {
            double[] g = G, d = _d;
            double step = 1;
            ft = double.NaN;
            for (int ls = 0; ls < options.MaxLineSearchSteps; ls++)
            {
                double dec = 0;
                for (int j = 0; j < x.Length; j++)
                {
                    double v = x[j] + step * d[j];
                    v = Math.Max(v, lower[j]);
                    if (upper is not null)
                    {
                        v = Math.Min(v, upper[j]);
                    }

                    Xt[j] = v;
                    dec += g[j] * (v - x[j]);
                }

                ft = f.Evaluate(Xt, Gt);
                evals++;
                if (double.IsFinite(ft) && ft <= fx + options.ArmijoC1 * dec)
                {
                    return true;
                }

                // Quadratic model through f(0), the arc's slope and f(step); keep the new step in [0.1, 0.5]·step.
                double denom = 2 * (ft - fx - dec);
                double t = double.IsFinite(ft) && denom > 0 ? -dec / denom : 0.5;
                step *= Math.Clamp(t, 0.1, 0.5);
            }

            return false;
        }

        /// <summary>Stores the step from <paramref name="x"/> to <see cref="Xt"/> and its gradient change when sᵀy &gt; 0.</summary>
        public void StorePair(double[] x)
        {
            int slot = (_newest + 1) % _m;
            double sy = 0, yy = 0;
            double[] sv = _s[slot], yv = _y[slot];
            for (int j = 0; j < x.Length; j++)
            {
                sv[j] = Xt[j] - x[j];
                yv[j] = Gt[j] - G[j];
                sy += sv[j] * yv[j];
                yy += yv[j] * yv[j] * (_p is null ? 1 : _p[j]);
            }

            if (sy > 1e-12 * yy && yy > 0)
            {
                _rho[slot] = 1 / sy;
                _gamma = sy / yy;
                _newest = slot;
                _stored = Math.Min(_stored + 1, _m);
            }
        }
    }
}
