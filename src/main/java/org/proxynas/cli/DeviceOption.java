package org.proxynas.cli;

import org.proxynas.common.ComputeDevice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Mixed into every command that computes: {@code --device auto|cpu|gpu|gpu:N}. */
public final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE", converter = Parser.class,
            description = "auto | cpu | gpu | gpu:N: where to compute; auto takes the first GPU PyTorch sees, "
                    + "else the CPU (default: ${DEFAULT-VALUE}). Checkpoints resume on any device.")
    ComputeDevice device;

    static final class Parser implements ITypeConverter<ComputeDevice> {
        @Override
        public ComputeDevice convert(String value) {
            try {
                return ComputeDevice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
