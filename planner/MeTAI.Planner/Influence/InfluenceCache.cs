using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Influence;

/// <summary>
/// The influence matrix on disk (docs/file-formats.md, "Influence cache"): little-endian, a fixed header with a magic,
/// version, sizes, grid, Monte Carlo settings and the SHA-256 of the inputs the matrix was computed from, then the
/// beamlet table, row voxels, row pointers, column indices and values, and a SHA-256 of everything before it. Loading
/// checks every field and names the file and field that is wrong; a matrix computed from other inputs is refused as
/// stale, so callers rebuild it.
/// </summary>
public static class InfluenceCache
{
    /// <summary>File magic, 8 ASCII bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "METAIINF"u8;

    /// <summary>Format version written and accepted.</summary>
    public const int Version = 1;

    /// <summary>Bytes of the fixed header.</summary>
    public const int HeaderBytes = 212; // magic 8, version 4, header size 4, rows 4, columns 4, non-zeros 8, grid 12 + 24 + 24 + 72, histories 8, cut-off 8, inputs hash 32

    private const int HashBytes = 32;

    /// <summary>Writes <paramref name="matrix"/> with the SHA-256 <paramref name="parametersHash"/> of its inputs (atomically: temp file, then rename).</summary>
    public static void Save(string path, InfluenceMatrix matrix, ReadOnlySpan<byte> parametersHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(matrix);
        if (parametersHash.Length != HashBytes)
        {
            throw new ArgumentException("The parameters hash must be a 32-byte SHA-256.", nameof(parametersHash));
        }

        CsrMatrix a = matrix.Matrix;
        byte[] parameters = parametersHash.ToArray();
        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var header = new byte[HeaderBytes];
            WriteHeader(header, matrix, parameters);
            Write(stream, hash, header);
            var beamlets = new int[3 * matrix.Columns];
            for (int c = 0; c < matrix.Columns; c++)
            {
                beamlets[3 * c] = matrix.Beamlets[c].Beam;
                beamlets[3 * c + 1] = matrix.Beamlets[c].Ix;
                beamlets[3 * c + 2] = matrix.Beamlets[c].Iy;
            }

            Write(stream, hash, MemoryMarshal.AsBytes(beamlets.AsSpan()));
            Write(stream, hash, MemoryMarshal.AsBytes(matrix.VoxelIndices.AsSpan()));
            Write(stream, hash, MemoryMarshal.AsBytes(a.RowPointers.AsSpan()));
            Write(stream, hash, MemoryMarshal.AsBytes(a.ColumnIndices.AsSpan()));
            Write(stream, hash, MemoryMarshal.AsBytes(a.Values.AsSpan()));
            stream.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>
    /// Loads a cache file and checks it. With <paramref name="expectedParametersHash"/> given, a file computed from
    /// other inputs is refused (<see cref="InfluenceCacheException"/> with field <c>parametersHash</c>).
    /// </summary>
    /// <exception cref="InfluenceCacheException">Missing, truncated, corrupt, of another version or stale.</exception>
    public static InfluenceMatrix Load(string path, ReadOnlySpan<byte> expectedParametersHash = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new InfluenceCacheException(path, "file", "does not exist");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        long length = stream.Length;
        var header = new byte[HeaderBytes];
        if (length < HeaderBytes + HashBytes)
        {
            throw new InfluenceCacheException(path, "header", $"file is {length} bytes, shorter than the {HeaderBytes + HashBytes}-byte header and checksum");
        }

        Read(stream, hash, header);
        Header head = ParseHeader(path, header, length, expectedParametersHash);
        return ReadMatrix(path, stream, hash, head);
    }

    /// <summary>The SHA-256 of a canonical description of everything the matrix depends on.</summary>
    public static byte[] ParametersHash(IEnumerable<byte[]> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> len = stackalloc byte[8];
        foreach (byte[] p in parts)
        {
            BinaryPrimitives.WriteInt64LittleEndian(len, p.Length);
            hash.AppendData(len);
            hash.AppendData(p);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>What the fixed header says: sizes, grid and Monte Carlo settings.</summary>
    private readonly record struct Header(int Rows, int Columns, long NonZeros, GridGeometry Grid, long HistoriesPerBeamlet, double RelativeCutoff);

    /// <summary>Checks the fixed header field by field (magic, version, sizes, length, inputs hash, grid), in that order.</summary>
    private static Header ParseHeader(string path, ReadOnlySpan<byte> h, long length, ReadOnlySpan<byte> expectedParametersHash)
    {
        if (!h[..8].SequenceEqual(Magic))
        {
            throw new InfluenceCacheException(path, "magic", "is not METAIINF (not an influence cache)");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(h[8..]);
        if (version != Version)
        {
            throw new InfluenceCacheException(path, "version", $"{version} is not supported (this program reads version {Version})");
        }

        int headerBytes = BinaryPrimitives.ReadInt32LittleEndian(h[12..]);
        if (headerBytes != HeaderBytes)
        {
            throw new InfluenceCacheException(path, "headerBytes", $"{headerBytes}, expected {HeaderBytes}");
        }

        int rows = BinaryPrimitives.ReadInt32LittleEndian(h[16..]);
        int columns = BinaryPrimitives.ReadInt32LittleEndian(h[20..]);
        long nnz = BinaryPrimitives.ReadInt64LittleEndian(h[24..]);
        if (rows < 0 || columns < 0 || columns > CsrMatrix.MaxColumns || nnz < 0 || nnz > int.MaxValue)
        {
            throw new InfluenceCacheException(path, "dimensions", $"rows {rows}, columns {columns}, non-zeros {nnz} are out of range");
        }

        int nx = BinaryPrimitives.ReadInt32LittleEndian(h[32..]), ny = BinaryPrimitives.ReadInt32LittleEndian(h[36..]), nz = BinaryPrimitives.ReadInt32LittleEndian(h[40..]);
        Vec3 spacing = ReadVec(h[44..]), origin = ReadVec(h[68..]);
        var dir = new double[9];
        for (int n = 0; n < 9; n++)
        {
            dir[n] = BinaryPrimitives.ReadDoubleLittleEndian(h[(92 + 8 * n)..]);
        }

        long histories = BinaryPrimitives.ReadInt64LittleEndian(h[164..]);
        double cutoff = BinaryPrimitives.ReadDoubleLittleEndian(h[172..]);
        ReadOnlySpan<byte> storedParams = h.Slice(180, HashBytes);
        long expected = HeaderBytes + 12L * columns + 4L * rows + 4L * (rows + 1) + 6L * nnz + HashBytes;
        if (length != expected)
        {
            throw new InfluenceCacheException(path, "length", $"file is {length} bytes but its header describes {expected} (truncated or corrupt)");
        }

        if (!expectedParametersHash.IsEmpty && !storedParams.SequenceEqual(expectedParametersHash))
        {
            throw new InfluenceCacheException(path, "parametersHash", "was computed from other inputs (CT, beams, beamlets, voxels or Monte Carlo settings); rebuild it");
        }

        try
        {
            var grid = new GridGeometry(nx, ny, nz, spacing, origin, new Mat3(dir[0], dir[1], dir[2], dir[3], dir[4], dir[5], dir[6], dir[7], dir[8]));
            return new Header(rows, columns, nnz, grid, histories, cutoff);
        }
        catch (ArgumentException ex)
        {
            throw new InfluenceCacheException(path, "grid", ex.Message);
        }
    }

    /// <summary>Reads the beamlet table, row voxels and CSR arrays after the header, checks the checksum and the matrix structure.</summary>
    private static InfluenceMatrix ReadMatrix(string path, FileStream stream, IncrementalHash hash, Header head)
    {
        int rows = head.Rows, columns = head.Columns;
        var beamletData = new int[3 * columns];
        var voxels = new int[rows];
        var ptr = new int[rows + 1];
        var cols = new ushort[head.NonZeros];
        var vals = new float[head.NonZeros];
        Read(stream, hash, MemoryMarshal.AsBytes(beamletData.AsSpan()));
        Read(stream, hash, MemoryMarshal.AsBytes(voxels.AsSpan()));
        Read(stream, hash, MemoryMarshal.AsBytes(ptr.AsSpan()));
        Read(stream, hash, MemoryMarshal.AsBytes(cols.AsSpan()));
        Read(stream, hash, MemoryMarshal.AsBytes(vals.AsSpan()));
        var stored = new byte[HashBytes];
        stream.ReadExactly(stored);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
        {
            throw new InfluenceCacheException(path, "checksum", "SHA-256 of the contents does not match (file is corrupt)");
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new InfluenceCacheException(path, "byteOrder", "reading on a big-endian machine is not supported");
        }

        var beamlets = new Beamlet[columns];
        for (int c = 0; c < columns; c++)
        {
            beamlets[c] = new Beamlet(beamletData[3 * c], beamletData[3 * c + 1], beamletData[3 * c + 2]);
        }

        try
        {
            for (int r = 0; r < rows; r++)
            {
                if (ptr[r + 1] < ptr[r])
                {
                    throw new ArgumentException($"row pointer {r + 1} decreases");
                }
            }

            foreach (ushort c in cols)
            {
                if (c >= columns)
                {
                    throw new ArgumentException($"column index {c} ≥ {columns}");
                }
            }

            return new InfluenceMatrix(head.Grid, voxels, beamlets, new CsrMatrix(rows, columns, ptr, cols, vals), head.HistoriesPerBeamlet, head.RelativeCutoff);
        }
        catch (ArgumentException ex)
        {
            throw new InfluenceCacheException(path, "matrix", ex.Message);
        }
    }

    private static void WriteHeader(Span<byte> h, InfluenceMatrix m, ReadOnlySpan<byte> parametersHash)
    {
        Magic.CopyTo(h);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(h[12..], HeaderBytes);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], m.Rows);
        BinaryPrimitives.WriteInt32LittleEndian(h[20..], m.Columns);
        BinaryPrimitives.WriteInt64LittleEndian(h[24..], m.Matrix.NonZeros);
        GridGeometry g = m.Grid;
        BinaryPrimitives.WriteInt32LittleEndian(h[32..], g.SizeX);
        BinaryPrimitives.WriteInt32LittleEndian(h[36..], g.SizeY);
        BinaryPrimitives.WriteInt32LittleEndian(h[40..], g.SizeZ);
        WriteVec(h[44..], g.SpacingMm);
        WriteVec(h[68..], g.OriginLps);
        Mat3 d = g.Direction;
        double[] dir = [d.M00, d.M01, d.M02, d.M10, d.M11, d.M12, d.M20, d.M21, d.M22];
        for (int n = 0; n < 9; n++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(h[(92 + 8 * n)..], dir[n]);
        }

        BinaryPrimitives.WriteInt64LittleEndian(h[164..], m.HistoriesPerBeamlet);
        BinaryPrimitives.WriteDoubleLittleEndian(h[172..], m.RelativeCutoff);
        parametersHash.CopyTo(h[180..]);
    }

    private static void WriteVec(Span<byte> s, Vec3 v)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(s, v.X);
        BinaryPrimitives.WriteDoubleLittleEndian(s[8..], v.Y);
        BinaryPrimitives.WriteDoubleLittleEndian(s[16..], v.Z);
    }

    private static Vec3 ReadVec(ReadOnlySpan<byte> s) =>
        new(BinaryPrimitives.ReadDoubleLittleEndian(s), BinaryPrimitives.ReadDoubleLittleEndian(s[8..]), BinaryPrimitives.ReadDoubleLittleEndian(s[16..]));

    private static void Write(Stream s, IncrementalHash hash, ReadOnlySpan<byte> data)
    {
        hash.AppendData(data);
        s.Write(data);
    }

    private static void Read(Stream s, IncrementalHash hash, Span<byte> data)
    {
        s.ReadExactly(data);
        hash.AppendData(data);
    }
}
