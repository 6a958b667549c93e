using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms.Shapes;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Phantoms;

/// <summary>Collects a phantom's CT, structures and landmarks while a library recipe builds it.</summary>
internal sealed class PhantomBuilder
{
    private readonly List<PhantomStructure> _structures = [];
    private readonly Dictionary<string, Vec3> _landmarks = new(StringComparer.Ordinal);

    /// <summary>Starts an all-air CT on an axis-aligned grid of <paramref name="extentMm"/> centred on LPS (0, 0, 0).</summary>
    public PhantomBuilder(Vec3 extentMm, double voxelMm)
    {
        Geometry = GridGeometry.Centered(extentMm, voxelMm, Vec3.Zero);
        Ct = new VoxelGrid<short>(Geometry);
        Array.Fill(Ct.Data, PhantomHu.Air);
    }

    public GridGeometry Geometry { get; }

    public VoxelGrid<short> Ct { get; }

    /// <summary>Adds a structure whose voxels are those with centres inside <paramref name="shape"/>.</summary>
    public VoxelMask Add<TShape>(string name, StructureKind kind, RgbColor color, in TShape shape)
        where TShape : struct, IShape
    {
        var mask = new VoxelMask(name, Geometry);
        ShapeFill.Fill(mask, shape);
        _structures.Add(new PhantomStructure(kind, mask, color));
        return mask;
    }

    /// <summary>Adds a structure made of several shapes (their union).</summary>
    public VoxelMask AddUnion<TShape>(string name, StructureKind kind, RgbColor color, ReadOnlySpan<TShape> shapes)
        where TShape : struct, IShape
    {
        var mask = new VoxelMask(name, Geometry);
        foreach (TShape shape in shapes)
        {
            ShapeFill.Fill(mask, shape);
        }

        _structures.Add(new PhantomStructure(kind, mask, color));
        return mask;
    }

    /// <summary>Sets the CT number of every voxel in <paramref name="mask"/>; later paints cover earlier ones.</summary>
    public void Paint(VoxelMask mask, short hu)
    {
        byte[] inside = mask.Voxels;
        short[] ct = Ct.Data;
        for (int n = 0; n < inside.Length; n++)
        {
            if (inside[n] != 0)
            {
                ct[n] = hu;
            }
        }
    }

    public void Landmark(string name, Vec3 pointLps) => _landmarks.Add(name, pointLps);

    public Phantom Build(string name, string description) => new(name, description, Ct, _structures, _landmarks);
}
