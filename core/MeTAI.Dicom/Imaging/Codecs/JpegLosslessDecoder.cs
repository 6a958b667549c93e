using System.Buffers.Binary;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// JPEG lossless, non-hierarchical, Huffman-coded (ITU-T T.81 Annex H, process 14; SOF3): the DICOM syntaxes
/// 1.2.840.10008.1.2.4.57 (any selection value) and .70 (selection value 1). Written here because no served .NET library
/// decodes it for every predictor: JpegLibrary's lossless path predicts the first line and restart intervals with
/// the selected predictor instead of Ra, loses the sign of 16-bit samples in predictors 5–7 and ignores the point
/// transform, so only selection value 1 decodes right with it (dcmtk's dcmcjpeg writes selection value 6 by default).
/// Handles P 2–16, selection values 1–7, point transforms, restart intervals, interleaved and one-component scans, and
/// several scans per frame. Refuses components subsampled (H or V above 1), a DNL-defined height, and a scan whose
/// data ends before its last sample.
/// </summary>
internal static class JpegLosslessDecoder
{
    /// <summary>Decodes one SOF3 codestream into the frame.</summary>
    /// <exception cref="FormatException">Malformed or unsupported codestream (the caller names the frame).</exception>
    public static void Decode(ReadOnlySpan<byte> data, FrameFormat format, Span<byte> destination, int frameIndex)
    {
        var tables = new JpegHuffmanTable?[4];
        Frame? frame = null;
        int restartInterval = 0;
        int at = 2; // after SOI, which the caller checked
        while (true)
        {
            int markerAt = at;
            (byte marker, int next) = JpegMarkers.Next(data, at);
            switch (marker)
            {
                case 0:
                    throw new FormatException("it ends without an EOI marker before its last scan");
                case JpegMarkers.Eoi:
                    if (frame is null || !frame.Complete)
                    {
                        throw new FormatException("it ends (EOI) before every component was decoded");
                    }

                    frame.Write(format, destination, frameIndex);
                    return;
                case JpegMarkers.Sof3:
                    if (frame is not null)
                    {
                        throw new FormatException("it has a second SOF3 segment");
                    }

                    frame = Frame.Read(data[(markerAt + 4)..next]);
                    format.Check(frameIndex, "JPEG", frame.Width, frame.Height, frame.Components.Length, frame.Precision);
                    break;
                case JpegMarkers.Dht:
                    for (int t = markerAt + 4; t < next;)
                    {
                        (JpegHuffmanTable table, int tableClass, int id, int after) = JpegHuffmanTable.Read(data[..next], t);
                        if (tableClass != 0 || id > 3)
                        {
                            throw new FormatException($"it defines Huffman table class {tableClass} id {id}; a lossless scan uses class 0, ids 0–3");
                        }

                        tables[id] = table;
                        t = after;
                    }

                    break;
                case JpegMarkers.Dri:
                    restartInterval = BinaryPrimitives.ReadUInt16BigEndian(data[(markerAt + 4)..]);
                    break;
                case JpegMarkers.Sos:
                    if (frame is null)
                    {
                        throw new FormatException("its scan (SOS) comes before the frame header (SOF3)");
                    }

                    next = frame.DecodeScan(data, markerAt + 4, next, tables, restartInterval);
                    break;
                case JpegMarkers.Dnl:
                    throw new FormatException("its height is defined by a DNL marker, which is not supported");
                default:
                    if (JpegMarkers.IsStartOfFrame(marker))
                    {
                        throw new FormatException($"it mixes {JpegMarkers.FrameName(marker)} into a lossless frame");
                    }

                    if (marker is >= 0xD0 and <= 0xD7)
                    {
                        throw new FormatException($"it has a restart marker (FF {marker:X2}) outside a scan");
                    }

                    // APPn, COM, DQT and other segments carry nothing a lossless decoder needs.
                    break;
            }

            at = next;
        }
    }

    /// <summary>The frame header, the decoded component planes and what each scan has filled.</summary>
    private sealed class Frame
    {
        private Frame(int precision, int height, int width, byte[] ids)
        {
            Precision = precision;
            Height = height;
            Width = width;
            Components = ids;
            Planes = new ushort[ids.Length][];
            PointTransforms = new int[ids.Length];
            for (int c = 0; c < ids.Length; c++)
            {
                Planes[c] = new ushort[(long)width * height];
            }

            Decoded = new bool[ids.Length];
        }

        public int Precision { get; }

        public int Height { get; }

        public int Width { get; }

        public byte[] Components { get; }

        public ushort[][] Planes { get; }

        public int[] PointTransforms { get; }

        public bool[] Decoded { get; }

        public bool Complete => Decoded.All(d => d);

        public static Frame Read(ReadOnlySpan<byte> body)
        {
            if (body.Length < 6)
            {
                throw new FormatException("its SOF3 segment is truncated");
            }

            int precision = body[0], height = BinaryPrimitives.ReadUInt16BigEndian(body[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(body[3..]);
            int count = body[5];
            if (precision is < 2 or > 16)
            {
                throw new FormatException($"its sample precision is {precision} bits (2–16 allowed)");
            }

            if (height == 0)
            {
                throw new FormatException("its height is 0 (defined later by DNL), which is not supported");
            }

            if (width == 0 || count is < 1 or > 4 || body.Length < 6 + (3 * count))
            {
                throw new FormatException($"its SOF3 segment declares width {width} and {count} component(s) in {body.Length} bytes");
            }

            var ids = new byte[count];
            for (int c = 0; c < count; c++)
            {
                ids[c] = body[6 + (3 * c)];
                int sampling = body[7 + (3 * c)];
                if (sampling != 0x11)
                {
                    throw new FormatException($"component {c} is sampled {sampling >> 4}×{sampling & 15}; only 1×1 (no subsampling) is supported in lossless JPEG");
                }
            }

            return new Frame(precision, height, width, ids);
        }

        /// <summary>Decodes one scan whose header body spans [<paramref name="header"/>, <paramref name="dataStart"/>); returns the offset of the marker after its data.</summary>
        public int DecodeScan(ReadOnlySpan<byte> data, int header, int dataStart, JpegHuffmanTable?[] tables, int restartInterval)
        {
            ReadOnlySpan<byte> h = data[header..dataStart];
            int count = h.Length > 0 ? h[0] : 0;
            if (count is < 1 or > 4 || h.Length < 1 + (2 * count) + 3)
            {
                throw new FormatException("its SOS segment is truncated");
            }

            var components = new int[count];
            var scanTables = new JpegHuffmanTable[count];
            for (int i = 0; i < count; i++)
            {
                int c = Array.IndexOf(Components, h[1 + (2 * i)]);
                if (c < 0 || Decoded[c])
                {
                    throw new FormatException($"its scan names component id {h[1 + (2 * i)]}, which the frame does not have or an earlier scan decoded");
                }

                components[i] = c;
                scanTables[i] = tables[h[2 + (2 * i)] >> 4] ?? throw new FormatException($"its scan uses Huffman table {h[2 + (2 * i)] >> 4}, which is not defined");
            }

            int predictor = h[1 + (2 * count)], pointTransform = h[3 + (2 * count)] & 0x0F;
            if (predictor is < 1 or > 7)
            {
                throw new FormatException($"its scan has selection value {predictor}; 1–7 are the lossless predictors");
            }

            if (pointTransform >= Precision)
            {
                throw new FormatException($"its point transform {pointTransform} is not below the precision {Precision}");
            }

            if (restartInterval > 0 && restartInterval % Width != 0)
            {
                throw new FormatException($"its restart interval of {restartInterval} samples is not a whole number of {Width}-sample lines");
            }

            var reader = new JpegBitReader(data, dataStart);
            var planes = new ushort[count][];
            for (int i = 0; i < count; i++)
            {
                planes[i] = Planes[components[i]];
            }

            JpegLosslessScan.Decode(ref reader, planes, scanTables, Width, Height, predictor, 1 << (Precision - pointTransform - 1), restartInterval / Width);
            if (reader.Overrun)
            {
                throw new FormatException("its scan data ends before the last sample (truncated)");
            }

            foreach (int c in components)
            {
                Decoded[c] = true;
                PointTransforms[c] = pointTransform;
            }

            return reader.SeekMarker();
        }

        public void Write(FrameFormat format, Span<byte> destination, int frameIndex)
        {
            var sink = new FrameSink(destination, format, Precision, codestreamSigned: false);
            int pixels = Width * Height;
            for (int c = 0; c < Planes.Length; c++)
            {
                ushort[] plane = Planes[c];
                int shift = PointTransforms[c];
                for (int p = 0; p < pixels; p++)
                {
                    sink.Set(p, c, (plane[p] << shift) & 0xFFFF);
                }
            }
        }
    }
}
