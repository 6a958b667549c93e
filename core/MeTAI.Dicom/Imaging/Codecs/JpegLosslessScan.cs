namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// The sample loop of a lossless JPEG scan (T.81 §H.1.2): each sample is a Huffman-coded difference from a prediction.
/// The first line of the scan and of each restart interval is predicted from the sample to the left (Ra), its first
/// sample from 2^(P−Pt−1); every other line starts from the sample above (Rb) and then uses the selected predictor.
/// Sums are taken modulo 2^16 on unsigned samples, as libjpeg's lossless decoder (dcmtk) does.
/// </summary>
internal static class JpegLosslessScan
{
    /// <summary>
    /// Decodes <paramref name="height"/> lines into <paramref name="planes"/> (one per scan component, interleaved
    /// sample by sample when there are several); <paramref name="restartLines"/> is the restart interval in lines (0: none).
    /// </summary>
    public static void Decode(ref JpegBitReader reader, ushort[][] planes, JpegHuffmanTable[] tables, int width, int height, int predictor, int initial, int restartLines)
    {
        int components = planes.Length;
        int linesLeft = restartLines;
        bool firstLine = true;
        for (int y = 0; y < height; y++)
        {
            if (restartLines > 0 && linesLeft == 0)
            {
                byte marker = reader.TakeMarker();
                if (marker is < 0xD0 or > 0xD7)
                {
                    throw new FormatException($"its scan has marker FF {marker:X2} where a restart marker (RSTn) must end the interval before line {y}");
                }

                linesLeft = restartLines;
                firstLine = true;
            }

            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                int at = row + x;
                for (int c = 0; c < components; c++)
                {
                    ushort[] plane = planes[c];
                    int prediction;
                    if (firstLine)
                    {
                        prediction = x == 0 ? initial : plane[at - 1];
                    }
                    else if (x == 0)
                    {
                        prediction = plane[at - width];
                    }
                    else
                    {
                        prediction = Predict(predictor, plane[at - 1], plane[at - width], plane[at - width - 1]);
                    }

                    plane[at] = (ushort)(prediction + ReadDifference(ref reader, tables[c]));
                }
            }

            firstLine = false;
            linesLeft--;
        }
    }

    private static int Predict(int predictor, int ra, int rb, int rc) => predictor switch
    {
        1 => ra,
        2 => rb,
        3 => rc,
        4 => ra + rb - rc,
        5 => ra + ((rb - rc) >> 1),
        6 => rb + ((ra - rc) >> 1),
        _ => (ra + rb) >> 1,
    };

    /// <summary>A difference: category SSSS from the table, then SSSS bits (T.81 Table H.2); category 16 is 32768 with no bits.</summary>
    private static int ReadDifference(ref JpegBitReader reader, JpegHuffmanTable table)
    {
        int category = table.Decode(ref reader);
        if (category == 0)
        {
            return 0;
        }

        if (category == 16)
        {
            return 32768;
        }

        if (category > 16)
        {
            throw new FormatException($"its Huffman table gives difference category {category} (0–16 allowed)");
        }

        int bits = reader.Read(category);
        return bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits;
    }
}
