using System.Security.Cryptography;
using System.Text;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Compute;

/// <summary>
/// Everything a plan's Monte Carlo units depend on (docs/cluster.md, §5) — the phantom, the beam model's file text,
/// the physics, the influence rows, the beamlet grids, the delivery segments and the influence settings — as one
/// binary encoding (<see cref="Encode"/>, <see cref="Decode"/>) that another machine decodes into the same inputs.
/// Its SHA-256 (<see cref="Hash"/>) names the inputs: two plans with the same hash run the same units to the same bits.
/// </summary>
public sealed class PlanComputeInputs
{
    private static readonly byte[] Magic = "METAIPCI"u8.ToArray();
    private const int Version = 1;

    /// <summary>The patient as materials and densities.</summary>
    public required VoxelPhantom Phantom { get; init; }

    /// <summary>The beam model's name.</summary>
    public required string BeamModelName { get; init; }

    /// <summary>The beam model's file text (<see cref="BeamModel.Parse"/>).</summary>
    public required string BeamModelJson { get; init; }

    /// <summary>Transport parameters.</summary>
    public PhysicsOptions Physics { get; init; } = new();

    /// <summary>Grid voxels that get influence rows, ascending.</summary>
    public required int[] VoxelIndices { get; init; }

    /// <summary>Beamlet grids, one per beam (the influence matrix's columns).</summary>
    public IReadOnlyList<BeamletGrid> Grids { get; init; } = [];

    /// <summary>The delivery segments (the final dose's units).</summary>
    public IReadOnlyList<DeliverySegment> Segments { get; init; } = [];

    /// <summary>Histories, cut-off, smoothing and seed of the influence columns.</summary>
    public required InfluenceSettings Influence { get; init; }

    /// <summary>The beam model the text describes.</summary>
    public BeamModel Model() => BeamModel.Parse(BeamModelJson, BeamModelName);

    /// <summary>SHA-256 of <see cref="Encode"/>.</summary>
    public byte[] Hash() => SHA256.HashData(Encode());

    /// <summary>The inputs as bytes (little-endian; a magic, a version, then each part in a fixed order).</summary>
    public byte[] Encode()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            WritePhantom(w, Phantom);
            w.Write(BeamModelName);
            w.Write(BeamModelJson);
            PhysicsOptions p = Physics;
            foreach (double v in new[] { p.ElectronCutoffMeV, p.PhotonCutoffMeV, p.MollerThresholdMeV, p.BremsstrahlungThresholdMeV, p.MaxStepEnergyLossFraction, p.RangeRejectionBelowMeV, p.MaxEnergyMeV })
            {
                w.Write(v);
            }

            WriteInts(w, VoxelIndices);
            w.Write(Grids.Count);
            foreach (BeamletGrid g in Grids)
            {
                WriteBeam(w, g.Beam);
                w.Write(g.WidthMm);
                w.Write(g.HeightMm);
                WriteInts(w, g.Ix);
                WriteInts(w, g.Iy);
            }

            w.Write(Segments.Count);
            foreach (DeliverySegment s in Segments)
            {
                WriteSegment(w, s);
            }

            InfluenceSettings i = Influence;
            w.Write(i.HistoriesPerBeamlet);
            w.Write(i.ScaleWithGrid);
            w.Write(i.RelativeCutoff);
            w.Write(i.Seed);
            w.Write(i.DepthSmoothingPoints);
            w.Write(i.MaxMemoryBytes);
        }

        return ms.ToArray();
    }

    /// <summary>Inputs from <see cref="Encode"/>'s bytes; anything else is refused naming the byte offset and the part.</summary>
    /// <exception cref="InvalidDataException">Not an encoding of plan compute inputs, another version, truncated or inconsistent.</exception>
    public static PlanComputeInputs Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var ms = new MemoryStream(bytes, writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        string part = "header";
        try
        {
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw Bad(0, part, "not plan compute inputs (no METAIPCI magic)");
            }

            int version = r.ReadInt32();
            if (version != Version)
            {
                throw Bad(Magic.Length, part, $"version {version}; this build reads version {Version}");
            }

            part = "phantom";
            VoxelPhantom phantom = ReadPhantom(r);
            part = "beam model";
            string name = r.ReadString();
            string json = r.ReadString();
            part = "physics";
            var physics = new PhysicsOptions
            {
                ElectronCutoffMeV = r.ReadDouble(),
                PhotonCutoffMeV = r.ReadDouble(),
                MollerThresholdMeV = r.ReadDouble(),
                BremsstrahlungThresholdMeV = r.ReadDouble(),
                MaxStepEnergyLossFraction = r.ReadDouble(),
                RangeRejectionBelowMeV = r.ReadDouble(),
                MaxEnergyMeV = r.ReadDouble(),
            };
            part = "rows";
            int[] rows = ReadInts(r, phantom.Geometry.VoxelCount);
            part = "beamlet grids";
            BeamletGrid[] grids = ReadGrids(r);

            part = "segments";
            var segments = new DeliverySegment[Count(r, 100_000)];
            for (int s = 0; s < segments.Length; s++)
            {
                segments[s] = ReadSegment(r);
            }

            part = "influence settings";
            InfluenceSettings influence = ReadInfluence(r);
            if (ms.Position != ms.Length)
            {
                throw Bad(ms.Position, "end", $"{ms.Length - ms.Position} bytes after the last part");
            }

            return new PlanComputeInputs
            {
                Phantom = phantom,
                BeamModelName = name,
                BeamModelJson = json,
                Physics = physics,
                VoxelIndices = rows,
                Grids = grids,
                Segments = segments,
                Influence = influence,
            };
        }
        catch (EndOfStreamException)
        {
            throw Bad(ms.Position, part, $"truncated ({bytes.Length} bytes)");
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw Bad(ms.Position, part, ex.Message);
        }
    }

    private static BeamletGrid[] ReadGrids(BinaryReader r)
    {
        var grids = new BeamletGrid[Count(r, 1000)];
        for (int b = 0; b < grids.Length; b++)
        {
            PlanBeam beam = ReadBeam(r);
            double width = r.ReadDouble(), height = r.ReadDouble();
            int[] ix = ReadInts(r, CsrMatrix.MaxColumns), iy = ReadInts(r, CsrMatrix.MaxColumns);
            if (ix.Length != iy.Length)
            {
                throw new ArgumentException($"grid {b}: {ix.Length} columns but {iy.Length} rows of beamlets");
            }

            grids[b] = BeamletGrid.FromCells(beam, width, height, [.. ix.Zip(iy)]);
        }

        return grids;
    }

    private static InfluenceSettings ReadInfluence(BinaryReader r) => new()
    {
        HistoriesPerBeamlet = r.ReadInt64(),
        ScaleWithGrid = r.ReadBoolean(),
        RelativeCutoff = r.ReadDouble(),
        Seed = r.ReadUInt64(),
        DepthSmoothingPoints = r.ReadInt32(),
        MaxMemoryBytes = r.ReadInt64(),
    };

    private static InvalidDataException Bad(long offset, string part, string what) =>
        new($"Plan compute inputs, byte {offset} ({part}): {what}.");

    private static int Count(BinaryReader r, int max)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > max)
        {
            throw new ArgumentException($"a count of {n} (0–{max} allowed)");
        }

        return n;
    }

    private static void WriteInts(BinaryWriter w, int[] values)
    {
        w.Write(values.Length);
        foreach (int v in values)
        {
            w.Write(v);
        }
    }

    private static int[] ReadInts(BinaryReader r, int max)
    {
        var values = new int[Count(r, max)];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = r.ReadInt32();
        }

        return values;
    }

    private static void WriteDoubles(BinaryWriter w, IReadOnlyList<double>? values)
    {
        w.Write(values is null ? -1 : values.Count);
        foreach (double v in values ?? [])
        {
            w.Write(v);
        }
    }

    private static double[]? ReadDoubles(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n == -1)
        {
            return null;
        }

        if (n < 0 || n > 10_000)
        {
            throw new ArgumentException($"a list of {n} numbers (0–10000 allowed)");
        }

        var values = new double[n];
        for (int k = 0; k < n; k++)
        {
            values[k] = r.ReadDouble();
        }

        return values;
    }

    private static void WriteVec(BinaryWriter w, Vec3 v)
    {
        w.Write(v.X);
        w.Write(v.Y);
        w.Write(v.Z);
    }

    private static Vec3 ReadVec(BinaryReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());

    private static void WritePhantom(BinaryWriter w, VoxelPhantom p)
    {
        GridGeometry g = p.Geometry;
        w.Write(g.SizeX);
        w.Write(g.SizeY);
        w.Write(g.SizeZ);
        WriteVec(w, g.SpacingMm);
        WriteVec(w, g.OriginLps);
        Mat3 d = g.Direction;
        foreach (double v in new[] { d.M00, d.M01, d.M02, d.M10, d.M11, d.M12, d.M20, d.M21, d.M22 })
        {
            w.Write(v);
        }

        w.Write(p.MaterialNames.Count);
        foreach (string m in p.MaterialNames)
        {
            w.Write(m);
        }

        w.Write(p.Materials);
        foreach (float v in p.DensitiesGPerCm3)
        {
            w.Write(v);
        }
    }

    private static VoxelPhantom ReadPhantom(BinaryReader r)
    {
        int sx = r.ReadInt32(), sy = r.ReadInt32(), sz = r.ReadInt32();
        Vec3 spacing = ReadVec(r), origin = ReadVec(r);
        var d = new Mat3(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        var grid = new GridGeometry(sx, sy, sz, spacing, origin, d);
        var names = new string[Count(r, 256)];
        for (int k = 0; k < names.Length; k++)
        {
            names[k] = r.ReadString();
        }

        byte[] materials = r.ReadBytes(grid.VoxelCount);
        if (materials.Length != grid.VoxelCount)
        {
            throw new EndOfStreamException();
        }

        var densities = new float[grid.VoxelCount];
        for (int k = 0; k < densities.Length; k++)
        {
            densities[k] = r.ReadSingle();
        }

        return new VoxelPhantom(grid, names, materials, densities);
    }

    private static void WriteBeam(BinaryWriter w, PlanBeam b)
    {
        w.Write(b.Number);
        w.Write(b.Name);
        w.Write(b.GantryDeg);
        w.Write(b.CollimatorDeg);
        w.Write(b.CouchDeg);
        WriteVec(w, b.IsocenterLps);
        w.Write((int)b.Position);
    }

    private static PlanBeam ReadBeam(BinaryReader r) =>
        new(r.ReadInt32(), r.ReadString(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), ReadVec(r), Position(r.ReadInt32()));

    private static PatientPosition Position(int value) => Enum.IsDefined((PatientPosition)value)
        ? (PatientPosition)value
        : throw new ArgumentException($"patient position {value} is not one this build knows");

    private static void WriteSegment(BinaryWriter w, DeliverySegment s)
    {
        w.Write(s.BeamNumber);
        w.Write(s.BeamName);
        w.Write(s.GantryDeg);
        w.Write(s.CollimatorDeg);
        w.Write(s.CouchDeg);
        WriteVec(w, s.IsocenterLps);
        w.Write(s.SadMm);
        w.Write(s.Rectangles.Count);
        foreach (ApertureRect a in s.Rectangles)
        {
            w.Write(a.X0Mm);
            w.Write(a.X1Mm);
            w.Write(a.Y0Mm);
            w.Write(a.Y1Mm);
            w.Write(a.Weight);
        }

        w.Write(s.MonitorUnits);
        w.Write((int)s.Position);
        w.Write(s.Collimation is not null);
        if (s.Collimation is { } c)
        {
            w.Write(c.X1Mm);
            w.Write(c.X2Mm);
            w.Write(c.Y1Mm);
            w.Write(c.Y2Mm);
            WriteDoubles(w, c.BankAMm);
            WriteDoubles(w, c.BankBMm);
        }

        WriteDoubles(w, s.LeafBoundariesMm);
    }

    private static DeliverySegment ReadSegment(BinaryReader r)
    {
        int number = r.ReadInt32();
        string name = r.ReadString();
        double gantry = r.ReadDouble(), collimator = r.ReadDouble(), couch = r.ReadDouble();
        Vec3 iso = ReadVec(r);
        double sad = r.ReadDouble();
        var rects = new ApertureRect[Count(r, 10_000)];
        for (int k = 0; k < rects.Length; k++)
        {
            rects[k] = new ApertureRect(r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        }

        double mu = r.ReadDouble();
        PatientPosition position = Position(r.ReadInt32());
        CollimatorSettings? collimation = r.ReadBoolean()
            ? new CollimatorSettings { X1Mm = r.ReadDouble(), X2Mm = r.ReadDouble(), Y1Mm = r.ReadDouble(), Y2Mm = r.ReadDouble(), BankAMm = ReadDoubles(r), BankBMm = ReadDoubles(r) }
            : null;
        return new DeliverySegment(number, name, gantry, collimator, couch, iso, sad, rects, mu, position)
        {
            Collimation = collimation,
            LeafBoundariesMm = ReadDoubles(r),
        };
    }
}
